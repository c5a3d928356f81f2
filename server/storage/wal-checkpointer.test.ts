import { afterAll, expect, test } from 'bun:test';
import { Database } from 'bun:sqlite';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, waitFor } from '../test-support/harness.ts';
import { SqliteStore } from './sqlite.ts';
import { mustCreate, newAccount } from './store-accounts.contract.ts';

const dirs: { cleanup(): void }[] = [];
afterAll(() => dirs.forEach((dir) => dir.cleanup()));

const MiB = 1024 * 1024;

async function openStore() {
  const dir = tempDir('quire-wal-');
  dirs.push(dir);
  const store = new SqliteStore(dir.path);
  await mustCreate(store.accounts, newAccount('u-ada', 'ada@example.com', 'admin', 'Ada'), { kind: 'first' });
  const document = await store.createDocument({
    id: crypto.randomUUID(),
    title: 'Log',
    createdBy: { id: 'u-ada', name: 'Ada' },
    createdAt: Date.now(),
    initialState: null,
    general: { scope: 'private', role: 'viewer' },
  });
  return { store, file: join(dir.path, 'quire.sqlite'), documentId: document.id };
}

/** Commits one small update per call, a few per event-loop turn, as the update writer does while people type. */
async function typeCommits(store: SqliteStore, documentId: string, count: number): Promise<void> {
  const data = new Uint8Array(40).fill(7);
  for (let i = 0; i < count; i++) {
    if (i % 4 === 0) await new Promise((resolve) => setImmediate(resolve));
    await store.appendUpdates([{ documentId, data, editor: null, at: Date.now() }]);
  }
}

test('while edits stream in, the log is checkpointed on another thread and reused, not grown; every commit is there after a restart', async () => {
  const { store, file, documentId } = await openStore();
  const main = (store as unknown as { db: Database }).db;
  // The server's own connection never checkpoints in a commit.
  expect(main.query('PRAGMA wal_autocheckpoint').get()).toEqual({ wal_autocheckpoint: 0 });

  // About 50,000 log pages (some 200 MiB) were the log never started over.
  await typeCommits(store, documentId, 10_000);
  await waitFor(() => (store.checkpointer?.checkpoints ?? 0) > 0, 5_000, 'a checkpoint on the thread');
  expect(store.checkpointer?.active).toBe(true);
  expect(statSync(`${file}-wal`).size).toBeLessThan(40 * MiB);

  await store.close();
  // Closed cleanly: the thread let go of its connection, so the last one to close removed the log.
  expect(existsSync(`${file}-wal`)).toBe(false);
  const reopened = new Database(file, { readonly: true });
  try {
    expect(reopened.query('SELECT COUNT(*) AS n FROM document_updates WHERE document_id = ?').get(documentId)).toEqual({ n: 10_000 });
  } finally {
    reopened.close();
  }
});

test('should the checkpoint thread die, the server connection checkpoints in its commits again', async () => {
  const { store, documentId } = await openStore();
  const main = (store as unknown as { db: Database }).db;
  const thread = (store.checkpointer as unknown as { worker: Worker }).worker;
  thread.terminate();
  await waitFor(() => store.checkpointer?.active === false, 5_000, 'the thread to be noticed gone');
  expect(main.query('PRAGMA wal_autocheckpoint').get()).toEqual({ wal_autocheckpoint: 1000 });
  await typeCommits(store, documentId, 10);
  await store.close();
});
