/**
 * The contract every `Store` implementation passes. Run it with a factory that gives a fresh,
 * empty store; SQLite runs it in `sqlite.test.ts`, PostgreSQL in `postgres.test.ts`.
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import * as Y from 'yjs';
import type { UserIdentity } from '../../shared/dto.ts';
import { accessContract } from './store-access.contract.ts';
import { historyContract } from './store-history.contract.ts';
import { accountsContract, mustCreate, newAccount } from './store-accounts.contract.ts';
import { richContentContract } from './store-rich-content.contract.ts';
import type { Store } from './store.ts';

export interface StoreFixture {
  store: Store;
  cleanup(): Promise<void>;
}

const WORKSPACE_EDITORS = { scope: 'workspace', role: 'editor' } as const;
const ada: UserIdentity = { id: 'u-ada', name: 'Ada', color: '#e5484d' };
const bob: UserIdentity = { id: 'u-bob', name: 'Bob', color: '#0090ff' };
const ref = (user: UserIdentity) => ({ id: user.id, name: user.name });

function textUpdate(doc: Y.Doc, text: string): Uint8Array {
  let captured: Uint8Array | null = null;
  const capture = (update: Uint8Array) => (captured = update);
  doc.on('update', capture);
  doc.getText('t').insert(doc.getText('t').length, text);
  doc.off('update', capture);
  return captured!;
}

/** Registers the contract suite for one implementation. */
export function storeContract(name: string, open: () => Promise<StoreFixture>): void {
  describe(`Store contract: ${name}`, () => {
    let fixture: StoreFixture;
    let store: Store;

    beforeEach(async () => {
      fixture = await open();
      store = fixture.store;
    });
    afterEach(() => fixture.cleanup());

    accountsContract(() => store);
    accessContract(() => store);
    historyContract(() => store);
    richContentContract(() => store);

    /** Ada and Bob, whose documents the tests below make. */
    async function people(): Promise<void> {
      await mustCreate(store.accounts, { ...newAccount(ada.id, 'ada@example.com', 'admin', ada.name), color: ada.color }, { kind: 'first' });
      await mustCreate(store.accounts, { ...newAccount(bob.id, 'bob@example.com', 'member', bob.name), color: bob.color });
    }

    async function createDoc(id: string, title: string, at: number) {
      if (!(await store.accounts.getAccount(ada.id))) await people();
      return store.createDocument({ id, title, createdBy: ref(ada), createdAt: at, initialState: null, general: WORKSPACE_EDITORS });
    }

    test('documents: create, get, rename with version check, delete', async () => {
      const created = await createDoc('d1', 'Roadmap', 1000);
      expect(created).toMatchObject({ id: 'd1', title: 'Roadmap', createdAt: 1000, updatedAt: 1000, createdBy: ref(ada), updatedBy: null, version: 1, general: WORKSPACE_EDITORS });
      expect(await store.getDocument('d1')).toEqual(created);
      expect(await store.getDocument('nope')).toBeNull();

      const renamed = await store.renameDocument('d1', 'Plan', ref(bob), 2000, 1);
      expect(renamed.status).toBe('renamed');
      if (renamed.status !== 'renamed') throw new Error();
      expect(renamed.previousTitle).toBe('Roadmap');
      expect(renamed.document).toMatchObject({ title: 'Plan', updatedAt: 2000, updatedBy: ref(bob), version: 2 });
      expect((await store.renameDocument('d1', 'Stale', ref(ada), 3000, 1)).status).toBe('stale');
      expect((await store.getDocument('d1'))?.title).toBe('Plan');
      expect((await store.renameDocument('nope', 'x', ref(ada), 3000, null)).status).toBe('not-found');

      await store.appendUpdates([{ documentId: 'd1', data: new Uint8Array([1, 2]), editor: null, at: 4000 }]);
      expect(await store.deleteDocument('d1')).toBe(true);
      expect(await store.getDocument('d1')).toBeNull();
      // In the trash its content stays, for a restore.
      expect((await store.loadUpdates('d1')).map((row) => [...row.data])).toEqual([[1, 2]]);
      expect(await store.deleteDocument('d1')).toBe(false);
      // A deleted document takes no more updates, renames or snapshots, and is listed nowhere.
      expect(await store.appendUpdates([{ documentId: 'd1', data: new Uint8Array([1, 2]), editor: null, at: 5000 }])).toEqual([0]);
      expect((await store.renameDocument('d1', 'Ghost', ref(ada), 5000, null)).status).toBe('not-found');
      expect(await store.replaceUpdates('d1', [], new Uint8Array([0, 0]))).toBeNull();
      expect(await store.listDocuments({ limit: 10, after: null, titleContains: null, reader: null })).toEqual([]);
    });

    test('listing: newest first, keyset pages, literal title filter', async () => {
      for (let i = 0; i < 7; i++) await createDoc(`d${i}`, i === 3 ? '50%_off' : `Doc ${i}`, 1000 + i);
      const first = await store.listDocuments({ limit: 3, after: null, titleContains: null, reader: null });
      expect(first.map((d) => d.id)).toEqual(['d6', 'd5', 'd4']);
      expect(first[0]).toMatchObject({ grant: null, general: WORKSPACE_EDITORS });
      const last = first[2]!;
      const second = await store.listDocuments({ limit: 3, after: { updatedAt: last.updatedAt, id: last.id }, titleContains: null, reader: null });
      expect(second.map((d) => d.id)).toEqual(['d3', 'd2', 'd1']);
      expect((await store.listDocuments({ limit: 10, after: null, titleContains: '%_', reader: null })).map((d) => d.id)).toEqual(['d3']);
      expect((await store.listDocuments({ limit: 10, after: null, titleContains: 'doc 1', reader: null })).map((d) => d.id)).toEqual(['d1']);
    });

    test('updates: appended in order, mark the document edited, dropped for missing documents', async () => {
      await createDoc('d1', 'A', 1000);
      const doc = new Y.Doc();
      const u1 = textUpdate(doc, 'hello ');
      const u2 = textUpdate(doc, 'world');
      const ids = await store.appendUpdates([
        { documentId: 'd1', data: u1, editor: ref(bob), at: 5000 },
        { documentId: 'gone', data: u1, editor: ref(bob), at: 5000 },
        { documentId: 'd1', data: u2, editor: ref(bob), at: 5001 },
      ]);
      expect(ids[1]).toBe(0);
      expect(ids[2]!).toBeGreaterThan(ids[0]!);
      const rows = await store.loadUpdates('d1');
      expect(rows.map((r) => r.id)).toEqual([ids[0]!, ids[2]!]);
      const replica = new Y.Doc();
      for (const row of rows) Y.applyUpdate(replica, row.data);
      expect(replica.getText('t').toString()).toBe('hello world');
      expect(await store.storedBytes('d1')).toBe(u1.byteLength + u2.byteLength);
      expect(await store.getDocument('d1')).toMatchObject({ updatedAt: 5001, updatedBy: ref(bob) });
    });

    test('compaction replaces exactly the given rows and keeps rows written meanwhile', async () => {
      await createDoc('d1', 'A', 1000);
      const doc = new Y.Doc();
      const early = await store.appendUpdates([1, 2, 3].map((i) => ({ documentId: 'd1', data: textUpdate(doc, `${i}`), editor: null, at: 1 })));
      const snapshot = Y.encodeStateAsUpdate(doc);
      const late = await store.appendUpdates([{ documentId: 'd1', data: textUpdate(doc, '4'), editor: null, at: 2 }]);
      const snapshotId = await store.replaceUpdates('d1', early, snapshot);
      const rows = await store.loadUpdates('d1');
      expect(rows.map((r) => r.id).sort((a, b) => a - b)).toEqual([late[0]!, snapshotId!].sort((a, b) => a - b));
      const replica = new Y.Doc();
      for (const row of rows) Y.applyUpdate(replica, row.data);
      expect(replica.getText('t').toString()).toBe('1234');
      expect(await store.replaceUpdates('gone', [], snapshot)).toBeNull();
    });

    test('activity: strictly increasing ids, newest-first pages, resume after an id, per-document filter', async () => {
      const at = new Date(1_700_000_000_000).toISOString();
      const stored = await store.appendActivity([
        { type: 'document.created', documentId: 'd1', documentTitle: 'A', actor: ada, at, details: {} },
        { type: 'document.renamed', documentId: 'd1', documentTitle: 'B', actor: bob, at, details: { from: 'A', to: 'B' } },
        { type: 'document.edited', documentId: 'd2', documentTitle: 'C', actor: ada, at, details: { inserted: 3, deleted: 1, excerpt: 'abc' } },
      ]);
      const ids = stored.map((e) => e.id);
      expect(ids[1]!).toBeGreaterThan(ids[0]!);
      expect(ids[2]!).toBeGreaterThan(ids[1]!);
      const newest = await store.listActivity({ limit: 2, documentId: null, before: null });
      expect(newest).toEqual([stored[2]!, stored[1]!]);
      expect(await store.listActivity({ limit: 5, documentId: null, before: ids[1]! })).toEqual([stored[0]!]);
      expect(await store.listActivity({ limit: 5, documentId: 'd1', before: null })).toEqual([stored[1]!, stored[0]!]);
      expect(await store.activitySince(ids[0]!, null, 10)).toEqual([stored[1]!, stored[2]!]);
      expect(await store.activitySince(ids[0]!, 'd2', 10)).toEqual([stored[2]!]);
    });

    test('ping answers while the store is open', async () => {
      await store.ping();
    });
  });
}
