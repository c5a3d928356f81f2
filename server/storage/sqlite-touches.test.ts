/**
 * A document's "last edited" time and editor while updates are committed: written at most once
 * a second while one editor keeps typing, at once when someone else edits, never lost at close,
 * and a deleted document's updates are refused whether or not its row was written.
 */
import { afterEach, expect, test } from 'bun:test';
import type { UserRef } from '../../shared/dto.ts';
import { tempDir, waitFor } from '../test-support/harness.ts';
import { storeWithDocument } from '../test-support/store-with-document.ts';
import { SqliteStore } from './sqlite.ts';
import { TOUCH_EVERY_MS } from './sqlite-touches.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const probe: UserRef = { id: 'u-probe', name: 'Probe' };
const bob: UserRef = { id: 'u-bob', name: 'Bob' };

async function opened(): Promise<{ store: SqliteStore; documentId: string; dataDir: string }> {
  const dir = tempDir();
  const { store, documentId } = await storeWithDocument(dir.path);
  await store.accounts.createAccount(
    { id: bob.id, email: 'bob@example.com', name: bob.name, color: '#30a46c', role: 'member', passwordHash: null, createdAt: Date.now() },
    { kind: 'open' },
  );
  // Closing twice (a test that closes it itself) is harmless.
  cleanups.push(async () => {
    await store.close();
    dir.cleanup();
  });
  return { store, documentId, dataDir: dir.path };
}

const edit = (documentId: string, editor: UserRef, at: number) => ({ documentId, data: new Uint8Array([0, 0]), editor, at });

async function lastEdited(store: SqliteStore, documentId: string): Promise<{ at: number; by: string | undefined }> {
  const document = await store.getDocument(documentId);
  if (!document) throw new Error('document gone');
  return { at: document.updatedAt, by: document.updatedBy?.name };
}

test('one editor typing: the row shows the first edit at once and the latest within a second', async () => {
  const { store, documentId } = await opened();
  const start = Date.now() + 10_000;
  await store.appendUpdates([edit(documentId, probe, start)]);
  expect(await lastEdited(store, documentId)).toEqual({ at: start, by: 'Probe' });
  await store.appendUpdates([edit(documentId, probe, start + 100)]);
  await store.appendUpdates([edit(documentId, probe, start + 200)]);
  // Within the second the time may lag; it catches up without another edit.
  await waitFor(async () => (await lastEdited(store, documentId)).at === start + 200, TOUCH_EVERY_MS * 5, 'the latest edit in the row');
  expect((await store.loadUpdates(documentId)).length).toBe(3);
});

test('an edit by someone else changes "edited by" at once', async () => {
  const { store, documentId } = await opened();
  const start = Date.now();
  await store.appendUpdates([edit(documentId, probe, start)]);
  await store.appendUpdates([edit(documentId, bob, start + 50)]);
  expect(await lastEdited(store, documentId)).toEqual({ at: start + 50, by: 'Bob' });
});

test('closing writes what was deferred: reopened, the row shows the last edit', async () => {
  const { store, documentId, dataDir } = await opened();
  const start = Date.now() + 10_000;
  await store.appendUpdates([edit(documentId, probe, start)]);
  await store.appendUpdates([edit(documentId, probe, start + 300)]);
  await store.close();
  const reopened = new SqliteStore(dataDir);
  cleanups.push(() => reopened.close());
  expect(await lastEdited(reopened, documentId)).toEqual({ at: start + 300, by: 'Probe' });
});

test('updates of a document deleted meanwhile are refused, its row written recently or not', async () => {
  const { store, documentId } = await opened();
  const start = Date.now();
  await store.appendUpdates([edit(documentId, probe, start)]);
  expect(await store.deleteDocument(documentId)).toBe(true);
  // Same editor within the second: the row is not written, yet the deletion is seen.
  expect(await store.appendUpdates([edit(documentId, probe, start + 10)])).toEqual([0]);
  expect(await store.appendUpdates([edit(documentId, bob, start + 20)])).toEqual([0]);
  expect((await store.loadUpdates(documentId)).length).toBe(1);
});
