import { afterAll, expect, test } from 'bun:test';
import { Database } from 'bun:sqlite';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, waitFor } from '../test-support/harness.ts';
import { storeWithDocument } from '../test-support/store-with-document.ts';
import { SqliteStore } from './sqlite.ts';

const dirs: { cleanup(): void }[] = [];
afterAll(() => dirs.forEach((dir) => dir.cleanup()));

const MiB = 1024 * 1024;

async function openStore() {
  const dir = tempDir('quire-wal-');
  dirs.push(dir);
  const { store, documentId } = await storeWithDocument(dir.path, 'Log');
  return { store, file: join(dir.path, 'quire.sqlite'), documentId };
}

/**
 * Commits one small update per call, a few per event-loop turn, as the update writer does while
 * people type (faster than they do). Returns the largest the log file grew meanwhile.
 */
async function typeCommits(store: SqliteStore, file: string, documentId: string, count: number): Promise<number> {
  const data = new Uint8Array(40).fill(7);
  let largestLog = 0;
  for (let i = 0; i < count; i++) {
    if (i % 4 === 0) await new Promise((resolve) => setImmediate(resolve));
    await store.appendUpdates([{ documentId, data, editor: null, at: Date.now() }]);
    if (i % 100 === 0 && existsSync(`${file}-wal`)) largestLog = Math.max(largestLog, statSync(`${file}-wal`).size);
  }
  return largestLog;
}

test('while edits stream in, the log is checkpointed on another thread and reused, not grown; every commit is there after a restart', async () => {
  const { store, file, documentId } = await openStore();
  const main = (store as unknown as { db: Database }).db;
  // The server's own connection never checkpoints in a commit.
  expect(main.query('PRAGMA wal_autocheckpoint').get()).toEqual({ wal_autocheckpoint: 0 });

  // About 100,000 log pages (some 400 MiB) were the log never started over; it stays near 16 MiB,
  // more while the checkpoint thread's reports lag behind a busy machine.
  const largestLog = await typeCommits(store, file, documentId, 20_000);
  expect(store.checkpointer?.active).toBe(true);
  expect(store.checkpointer?.checkpoints).toBeGreaterThan(0);
  // Commits waited for a checkpoint of the whole log, and the log started over after them.
  expect(store.checkpointer?.restartsAfterWait).toBeGreaterThan(0);
  expect(largestLog).toBeLessThan(128 * MiB);

  await store.close();
  // Closed cleanly: the thread let go of its connection, so the last one to close removed the log.
  expect(existsSync(`${file}-wal`)).toBe(false);
  const reopened = new Database(file, { readonly: true });
  try {
    expect(reopened.query('SELECT COUNT(*) AS n FROM document_updates WHERE document_id = ?').get(documentId)).toEqual({ n: 20_000 });
  } finally {
    reopened.close();
  }
});

test('should the checkpoint thread die, the server connection checkpoints in its commits again', async () => {
  const { store, file, documentId } = await openStore();
  const main = (store as unknown as { db: Database }).db;
  const thread = (store.checkpointer as unknown as { worker: Worker }).worker;
  thread.terminate();
  await waitFor(() => store.checkpointer?.active === false, 5_000, 'the thread to be noticed gone');
  expect(main.query('PRAGMA wal_autocheckpoint').get()).toEqual({ wal_autocheckpoint: 1000 });
  // 3,000 commits are some 60 MiB of log pages: checkpointed in the commits, the log stays small.
  expect(await typeCommits(store, file, documentId, 3_000)).toBeLessThan(16 * MiB);
  await store.close();
});
