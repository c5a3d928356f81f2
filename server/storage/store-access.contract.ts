/**
 * The access part of the `Store` contract: general access and grants replaced together, links
 * rotated, listings and activity that show a reader only what it may read (deleted documents'
 * past included), and "owned by me" / "shared with me".
 */
import { expect, test } from 'bun:test';
import type { GeneralAccess } from '../../shared/dto.ts';
import { mustCreate, newAccount } from './store-accounts.contract.ts';
import type { Reader, Store } from './store.ts';

const PRIVATE: GeneralAccess = { scope: 'private', role: 'editor' };
const WORKSPACE_VIEWERS: GeneralAccess = { scope: 'workspace', role: 'viewer' };

/** Registers the access tests; `store()` is the current test's fresh, empty store. */
export function accessContract(store: () => Store): void {
  /** Owner Olga (admin of the workspace is Root), members Vic and Sam, and three documents of Olga's. */
  async function setUp(s: Store) {
    await mustCreate(s.accounts, newAccount('root', 'root@example.com', 'admin', 'Root'), { kind: 'first' });
    for (const [id, name] of [['olga', 'Olga'], ['vic', 'Vic'], ['sam', 'Sam']] as const) {
      await mustCreate(s.accounts, newAccount(id, `${id}@example.com`, 'member', name));
    }
    const create = (id: string, general: GeneralAccess, at: number) =>
      s.createDocument({ id, title: id, createdBy: { id: 'olga', name: 'Olga' }, createdAt: at, initialState: null, general });
    await create('secret', PRIVATE, 1000);
    await create('team', WORKSPACE_VIEWERS, 2000);
    await create('shared', PRIVATE, 3000);
    expect(await s.access.replace('shared', PRIVATE, [{ userId: 'vic', role: 'editor' }])).toBe(true);
  }

  const reader = (userId: string, admin = false): Reader => ({ userId, admin });
  const listed = async (s: Store, who: Reader, filter: 'owned' | 'shared' | null = null) =>
    (await s.listDocuments({ limit: 10, after: null, titleContains: null, reader: who, filter })).map((d) => `${d.id}:${d.grant ?? '-'}`);

  test('access: rules, grants and links of each document, replaced whole', async () => {
    const s = store();
    await setUp(s);
    const rules = await s.access.rules(['secret', 'shared', 'nope']);
    expect([...rules.keys()].sort()).toEqual(['secret', 'shared']);
    expect(rules.get('shared')).toEqual({ ownerId: 'olga', general: PRIVATE, grants: new Map([['vic', 'editor']]), linkToken: null });
    expect(await s.access.grants('shared')).toEqual([{ user: { id: 'vic', name: 'Vic', email: 'vic@example.com', color: '#e5484d' }, role: 'editor' }]);

    const link: GeneralAccess = { scope: 'link', role: 'viewer' };
    expect(await s.access.replace('shared', link, [{ userId: 'sam', role: 'viewer' }, { userId: 'vic', role: 'owner' }])).toBe(true);
    expect(await s.access.grants('shared')).toEqual([
      { user: { id: 'sam', name: 'Sam', email: 'sam@example.com', color: '#e5484d' }, role: 'viewer' },
      { user: { id: 'vic', name: 'Vic', email: 'vic@example.com', color: '#e5484d' }, role: 'owner' },
    ]);
    expect((await s.getDocument('shared'))?.general).toEqual(link);
    expect(await s.access.replace('nope', link, [])).toBe(false);

    expect(await s.access.setLinkToken('shared', 'token-1')).toBe(true);
    expect(await s.access.findByLinkToken('token-1')).toBe('shared');
    expect(await s.access.setLinkToken('shared', 'token-2')).toBe(true);
    expect(await s.access.findByLinkToken('token-1')).toBeNull();
    expect(await s.access.findByLinkToken('token-2')).toBe('shared');
    expect((await s.access.rules(['shared'])).get('shared')?.linkToken).toBe('token-2');
    expect(await s.access.setLinkToken('nope', 'token-3')).toBe(false);
  });

  test('access: listings show each reader what it may read, with its grant; owned and shared filters', async () => {
    const s = store();
    await setUp(s);
    expect(await listed(s, reader('olga'))).toEqual(['shared:-', 'team:-', 'secret:-']);
    expect(await listed(s, reader('vic'))).toEqual(['shared:editor', 'team:-']);
    expect(await listed(s, reader('sam'))).toEqual(['team:-']);
    expect(await listed(s, reader('root', true))).toEqual(['shared:-', 'team:-', 'secret:-']);
    expect(await listed(s, reader('olga'), 'owned')).toEqual(['shared:-', 'team:-', 'secret:-']);
    expect(await listed(s, reader('vic'), 'owned')).toEqual([]);
    expect(await listed(s, reader('vic'), 'shared')).toEqual(['shared:editor']);
    expect(await listed(s, reader('olga'), 'shared')).toEqual([]);
  });

  test('access: activity shows each reader only documents it may read, deleted ones as they were', async () => {
    const s = store();
    await setUp(s);
    const at = new Date(5000).toISOString();
    const actor = { id: 'olga', name: 'Olga', color: '#e5484d' };
    const events = await s.appendActivity(
      ['secret', 'team', 'shared'].map((documentId) => ({ type: 'document.created' as const, documentId, documentTitle: documentId, actor, at, details: {} })),
    );
    const ids = (list: { documentId: string }[]) => list.map((event) => event.documentId);
    expect(ids(await s.listActivity({ limit: 10, documentId: null, before: null, reader: reader('vic') }))).toEqual(['shared', 'team']);
    expect(ids(await s.listActivity({ limit: 10, documentId: null, before: null, reader: reader('sam') }))).toEqual(['team']);
    expect(ids(await s.listActivity({ limit: 10, documentId: 'secret', before: null, reader: reader('sam') }))).toEqual([]);
    expect(ids(await s.listActivity({ limit: 10, documentId: null, before: null, reader: reader('root', true) }))).toEqual(['shared', 'team', 'secret']);
    expect(ids(await s.activitySince(events[0]!.id, null, 10, reader('sam')))).toEqual(['team']);
    expect(ids(await s.activitySince(0, null, 10, reader('olga')))).toEqual(['secret', 'team', 'shared']);

    // Deleted: gone from listings and lookups, but its past stays visible to exactly its readers.
    expect(await s.deleteDocument('shared')).toBe(true);
    expect(await s.getDocument('shared')).toBeNull();
    expect(await listed(s, reader('vic'))).toEqual(['team:-']);
    expect(ids(await s.listActivity({ limit: 10, documentId: null, before: null, reader: reader('vic') }))).toEqual(['shared', 'team']);
    expect(ids(await s.listActivity({ limit: 10, documentId: null, before: null, reader: reader('sam') }))).toEqual(['team']);
    expect((await s.access.rules(['shared'])).has('shared')).toBe(true);

    // Revoked: the past goes with the access.
    expect(await s.access.replace('team', PRIVATE, [])).toBe(true);
    expect(ids(await s.listActivity({ limit: 10, documentId: null, before: null, reader: reader('sam') }))).toEqual([]);
  });
}
