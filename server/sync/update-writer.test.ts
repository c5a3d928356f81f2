/**
 * The writer's group commit: updates that keep arriving turn after turn share one commit, a
 * lone update is committed at once, and every update is durable before its callback runs.
 */
import { afterEach, expect, test } from 'bun:test';
import { createLogger } from '../logger.ts';
import { SqliteStore } from '../storage/sqlite.ts';
import { mustCreate, newAccount } from '../storage/store-accounts.contract.ts';
import { tempDir } from '../test-support/harness.ts';
import { UpdateWriter, type WriterObserver } from './update-writer.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A writer on a real SQLite store with one document, counting its commits. */
async function setUp(): Promise<{ writer: UpdateWriter; store: SqliteStore; commits: number[] }> {
  const dir = tempDir('quire-writer-');
  const store = new SqliteStore(dir.path);
  cleanups.push(() => dir.cleanup(), () => store.close());
  await mustCreate(store.accounts, newAccount('u-ada', 'ada@example.com', 'admin', 'Ada'), { kind: 'first' });
  await store.createDocument({
    id: 'doc',
    title: 'Doc',
    createdBy: { id: 'u-ada', name: 'Ada' },
    createdAt: 1000,
    initialState: null,
    general: { scope: 'workspace', role: 'editor' },
  });
  const commits: number[] = [];
  const observer: WriterObserver = { queued() {}, committed: (updates) => commits.push(updates), delivered() {} };
  const writer = new UpdateWriter(store, createLogger('error'), observer);
  return { writer, store, commits };
}

test('updates arriving in 40 consecutive turns are committed in a few commits, each stored before its callback, in order', async () => {
  const { writer, store, commits } = await setUp();
  const stored: number[] = [];
  for (let turn = 0; turn < 40; turn++) {
    // As a connection hands over what it received in a turn: at the turn's end.
    writer.atTurnEnd(() =>
      writer.enqueue('doc', new Uint8Array([turn]), null, (storedId, data) => {
        expect(storedId).toBeGreaterThan(0);
        stored.push(data[0]!);
      }),
    );
    await nextTurn();
  }
  await writer.idle();
  expect(stored).toEqual(Array.from({ length: 40 }, (_, turn) => turn));
  expect(commits.reduce((sum, updates) => sum + updates, 0)).toBe(40);
  // One commit a turn before; now a run is held for up to a millisecond of turns.
  expect(commits.length).toBeLessThan(20);
  const rows = await store.loadUpdates('doc');
  expect(rows.map((row) => row.data[0])).toEqual(stored);
});

test('a lone update is committed by the next turn that brings nothing more, not after a delay', async () => {
  const { writer, commits } = await setUp();
  let durable = false;
  writer.enqueue('doc', new Uint8Array([1]), null, () => (durable = true));
  // No timer involved: the check runs on the following turn, finds nothing else arriving, and commits.
  for (let turn = 0; turn < 3 && !durable; turn++) await nextTurn();
  expect(durable).toBe(true);
  expect(commits).toEqual([1]);
});

test('updates a connection holds for the end of the turn are waited for, then committed with the rest', async () => {
  const { writer, commits } = await setUp();
  let durable = 0;
  writer.enqueue('doc', new Uint8Array([1]), null, () => durable++);
  // A connection collecting this turn's frames hands them over at the turn's end, after the
  // commit check was armed: the check must wait for them rather than commit the first alone.
  writer.atTurnEnd(() => {
    writer.enqueue('doc', new Uint8Array([2]), null, () => durable++);
    writer.enqueue('doc', new Uint8Array([3]), null, () => durable++);
  });
  await writer.idle();
  expect(durable).toBe(3);
  expect(commits).toEqual([3]);
});
