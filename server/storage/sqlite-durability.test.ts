/** SQLite's durability setting is the configured one. */
import { afterAll, expect, test } from 'bun:test';
import type { Database } from 'bun:sqlite';
import { tempDir } from '../test-support/harness.ts';
import { SqliteStore } from './sqlite.ts';

const dirs: { cleanup(): void }[] = [];
afterAll(() => dirs.forEach((dir) => dir.cleanup()));

test('SQLITE_SYNCHRONOUS=FULL reaches SQLite; NORMAL is the default', async () => {
  for (const synchronous of ['NORMAL', 'FULL'] as const) {
    const dir = tempDir('quire-sync-');
    dirs.push(dir);
    const store = new SqliteStore(dir.path, { synchronous });
    // The setting is per connection: ask the store's own connection.
    const db = (store as unknown as { db: Database }).db;
    expect(db.query('PRAGMA synchronous').get()).toEqual({ synchronous: synchronous === 'FULL' ? 2 : 1 });
    await store.close();
  }
});
