/**
 * The history part of the `Store` contract: revisions stored and paged newest first, the
 * changes up to a revision in order, thinning that merges changes into the revision after, and
 * the trash (kept content, owners' listing, restore, purge with everything of the document).
 */
import { expect, test } from 'bun:test';
import type { GeneralAccess } from '../../shared/dto.ts';
import { mustCreate, newAccount } from './store-accounts.contract.ts';
import type { NewRevision, Store } from './store.ts';

const WORKSPACE: GeneralAccess = { scope: 'workspace', role: 'editor' };

/** Registers the history tests; `store()` is the current test's fresh, empty store. */
export function historyContract(store: () => Store): void {
  async function setUp(s: Store) {
    await mustCreate(s.accounts, newAccount('root', 'root@example.com', 'admin', 'Root'), { kind: 'first' });
    await mustCreate(s.accounts, newAccount('olga', 'olga@example.com', 'member', 'Olga'));
    await mustCreate(s.accounts, newAccount('vic', 'vic@example.com', 'member', 'Vic'));
    for (const [id, at] of [['d1', 1000], ['d2', 2000]] as const) {
      await s.createDocument({ id, title: id, createdBy: { id: 'olga', name: 'Olga' }, createdAt: at, initialState: null, general: WORKSPACE });
    }
  }

  const revision = (documentId: string, createdAt: number, changes: number[], kind: NewRevision['kind'] = 'edit'): NewRevision => ({
    documentId,
    kind,
    label: kind === 'named' ? 'v1' : null,
    createdAt,
    authors: [{ id: 'olga', name: 'Olga' }],
    inserted: 3,
    deleted: 1,
    wordsInserted: 1,
    wordsDeleted: 0,
    stateVector: new Uint8Array([createdAt % 256]),
    changes: new Uint8Array(changes),
  });

  test('history: revisions stored, paged newest first, changes read in order up to one', async () => {
    const s = store();
    await setUp(s);
    const first = (await s.history.append(revision('d1', 10, [1])))!;
    const second = (await s.history.append(revision('d1', 20, [2], 'named')))!;
    await s.history.append(revision('d2', 25, [9]));
    const third = (await s.history.append(revision('d1', 30, [3])))!;
    expect(first).toMatchObject({ documentId: 'd1', kind: 'edit', label: null, createdAt: 10, authors: [{ id: 'olga', name: 'Olga' }], inserted: 3, deleted: 1, wordsInserted: 1, wordsDeleted: 0 });
    expect([...first.stateVector]).toEqual([10]);
    expect(second.kind).toBe('named');
    expect(second.label).toBe('v1');
    expect(await s.history.append(revision('nope', 1, [1]))).toBeNull();

    expect((await s.history.list('d1', null, 2)).map((r) => r.id)).toEqual([third.id, second.id]);
    expect((await s.history.list('d1', second.id, 10)).map((r) => r.id)).toEqual([first.id]);
    expect(await s.history.get('d1', second.id)).toEqual(second);
    expect(await s.history.get('d2', second.id)).toBeNull();
    expect((await s.history.changesUpTo('d1', second.id)).map((c) => [...c])).toEqual([[1], [2]]);
    expect([...(await s.history.latestStateVector('d1'))!]).toEqual([30]);
    expect(await s.history.latestStateVector('d2')).not.toBeNull();

    // Thinning: old edits, the revision after one, and merging changes into it.
    expect((await s.history.editsBefore(30, 10)).map((r) => r.id)).toEqual([first.id, (await s.history.list('d2', null, 1))[0]!.id]);
    expect(await s.history.nextId('d1', first.id)).toBe(second.id);
    expect(await s.history.nextId('d1', third.id)).toBeNull();
    await s.history.merge('d1', [first.id], second.id, new Uint8Array([1, 2]));
    expect((await s.history.changesUpTo('d1', third.id)).map((c) => [...c])).toEqual([[1, 2], [3]]);
    const changes = await s.history.changesOf('d1', [second.id, third.id, first.id]);
    expect([...changes.keys()].sort()).toEqual([second.id, third.id].sort());
  });

  test('trash: a deleted document keeps content and history, is listed for its owners, restored or purged', async () => {
    const s = store();
    await setUp(s);
    await s.appendUpdates([{ documentId: 'd1', data: new Uint8Array([7, 7]), editor: null, at: 1500 }]);
    await s.history.append(revision('d1', 1500, [5]));
    await s.access.replace('d2', WORKSPACE, [{ userId: 'vic', role: 'owner' }]);
    expect(await s.deleteDocument('d1', 5000)).toBe(true);
    expect(await s.deleteDocument('d2', 6000)).toBe(true);

    const ids = async (userId: string, admin = false) => (await s.listTrash({ userId, admin }, 10, null)).map((d) => d.id);
    expect(await ids('olga')).toEqual(['d2', 'd1']);
    expect(await ids('vic')).toEqual(['d2']); // a co-owner by grant
    expect(await ids('root', true)).toEqual(['d2', 'd1']);
    const page = await s.listTrash({ userId: 'olga', admin: false }, 1, null);
    expect((await s.listTrash({ userId: 'olga', admin: false }, 1, { deletedAt: page[0]!.deletedAt, id: page[0]!.id })).map((d) => d.id)).toEqual(['d1']);
    expect(await s.getTrashed('d1')).toMatchObject({ id: 'd1', title: 'd1', deletedAt: 5000 });
    expect(await s.getTrashed('nope')).toBeNull();
    expect(await s.trashedBefore(5500, 10)).toEqual(['d1']);

    // Restored: back in listings with its content, history and access.
    expect(await s.restoreDocument('d2')).toMatchObject({ id: 'd2' });
    expect(await s.restoreDocument('d2')).toBeNull();
    expect(await s.getDocument('d2')).not.toBeNull();
    expect((await s.access.rules(['d2'])).get('d2')?.grants.get('vic')).toBe('owner');
    expect(await s.purgeDocument('d2')).toBe(false); // not in the trash

    // Purged: gone, with everything of it.
    expect(await s.purgeDocument('d1')).toBe(true);
    expect(await s.getTrashed('d1')).toBeNull();
    expect(await s.loadUpdates('d1')).toEqual([]);
    expect(await s.history.list('d1', null, 10)).toEqual([]);
    expect(await ids('olga')).toEqual([]);
  });
}
