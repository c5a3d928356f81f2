/**
 * A data directory indexed before migration 6 opens with its search index intact: what was
 * indexed is still found (now also by a one-letter prefix, through the new prefix index) and is
 * not indexed again; what changed since is still waiting.
 */
import { afterEach, expect, test } from 'bun:test';
import { Database } from 'bun:sqlite';
import { join } from 'node:path';
import { tempDir } from '../test-support/harness.ts';
import { HIT_END, HIT_START } from './search-store.ts';
import { SqliteStore } from './sqlite.ts';
import { SQLITE_MIGRATIONS } from './sqlite-schema.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A data directory at migration 5 with two documents: one indexed as it is, one changed since. */
function indexedBeforeMigration6(): string {
  const dir = tempDir('quire-search-m5-');
  cleanups.push(() => dir.cleanup());
  const db = new Database(join(dir.path, 'quire.sqlite'), { create: true, strict: true });
  db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY)');
  SQLITE_MIGRATIONS.slice(0, 5).forEach((sql, index) => {
    db.exec(sql);
    db.query('INSERT INTO schema_migrations (version) VALUES (?)').run(index + 1);
  });
  db.query("INSERT INTO users (id, name, color, email, role, created_at) VALUES ('u-ada', 'Ada', '#e5484d', 'ada@example.com', 'admin', 1)").run();
  const documents = [
    ['indexed', 'Harbour plans', 'the lighthouse keeper', 1000, 1000],
    ['changed', 'Budget', 'numbers for the lighthouse', 3000, 2000],
  ] as const;
  for (const [id, title, body, updatedAt, indexedAt] of documents) {
    db.query("INSERT INTO documents (id, title, created_at, updated_at, created_by) VALUES (?, ?, 1, ?, 'u-ada')").run(id, title, updatedAt);
    const { entry } = db.query('INSERT INTO search_index (document_id, indexed_at) VALUES (?, ?) RETURNING entry').get(id, indexedAt) as { entry: number };
    db.query('INSERT INTO search_fts (rowid, title, body) VALUES (?, ?, ?)').run(entry, title, body);
  }
  db.close();
  return dir.path;
}

test('migration 6 keeps the search index: entries are found, by prefixes too, and only what changed waits to be indexed', async () => {
  const store = new SqliteStore(indexedBeforeMigration6(), {});
  cleanups.push(() => store.close());
  const reader = { userId: 'u-ada', admin: true };
  const find = async (...terms: string[]) => (await store.search.search({ terms, reader, limit: 10, offset: 0 })).map((hit) => hit.documentId);
  expect(await find('harbour')).toEqual(['indexed']);
  expect((await find('l')).sort()).toEqual(['changed', 'indexed']);
  expect(await find('lighthouse', 'k')).toEqual(['indexed']);
  const [hit] = await store.search.search({ terms: ['keeper'], reader, limit: 10, offset: 0 });
  expect(hit!.snippet).toBe(`the lighthouse ${HIT_START}keeper${HIT_END}`);
  expect((await store.search.stale(10)).map((document) => document.id)).toEqual(['changed']);
});
