/**
 * The attachments and search parts of the `Store` contract: attachments kept with their live
 * document; an index that knows what changed since it was built, ranks title matches first,
 * highlights matches in a snippet, pages without repeats, and shows a reader only what it may read.
 */
import { expect, test } from 'bun:test';
import type { GeneralAccess } from '../../shared/dto.ts';
import { mustCreate, newAccount } from './store-accounts.contract.ts';
import { HIT_END, HIT_START } from './search-store.ts';
import type { Reader, Store } from './store.ts';

const PRIVATE: GeneralAccess = { scope: 'private', role: 'editor' };
const WORKSPACE: GeneralAccess = { scope: 'workspace', role: 'editor' };
const olga = { id: 'olga', name: 'Olga' };
const vic: Reader = { userId: 'vic', admin: false };
const root: Reader = { userId: 'root', admin: true };

async function people(s: Store) {
  await mustCreate(s.accounts, newAccount('root', 'root@example.com', 'admin', 'Root'), { kind: 'first' });
  await mustCreate(s.accounts, newAccount('olga', 'olga@example.com', 'member', 'Olga'));
  await mustCreate(s.accounts, newAccount('vic', 'vic@example.com', 'member', 'Vic'));
}

function create(s: Store, id: string, title: string, at: number, general: GeneralAccess = WORKSPACE) {
  return s.createDocument({ id, title, createdBy: olga, createdAt: at, initialState: null, general });
}

const marked = (snippet: string) => snippet.replaceAll(HIT_START, '[').replaceAll(HIT_END, ']');

/** Registers the tests; `store()` is the current test's fresh, empty store. */
export function richContentContract(store: () => Store): void {
  test('attachments: stored with a live document, read back byte for byte', async () => {
    const s = store();
    await people(s);
    await create(s, 'doc', 'Doc', 1000);
    const data = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
    const record = { id: 'a1', documentId: 'doc', contentType: 'image/png', size: data.byteLength, createdBy: 'olga', createdAt: 5 };
    expect(await s.attachments.create(record, data)).toBe(true);
    const read = await s.attachments.get('a1');
    expect(read?.record).toEqual(record);
    expect([...read!.data]).toEqual([...data]);
    expect(await s.attachments.get('a2')).toBeNull();
    expect(await s.attachments.create({ ...record, id: 'a3', documentId: 'nope' }, data)).toBe(false);
    await s.deleteDocument('doc');
    expect(await s.attachments.create({ ...record, id: 'a4' }, data)).toBe(false);
  });

  test('search: the index knows what changed since it was built', async () => {
    const s = store();
    await people(s);
    await create(s, 'one', 'One', 1000);
    await create(s, 'two', 'Two', 2000);
    expect((await s.search.stale(10)).map((d) => [d.id, d.updatedAt])).toEqual([['one', 1000], ['two', 2000]]);
    await s.search.index({ documentId: 'one', title: 'One', body: 'first', updatedAt: 1000 });
    expect((await s.search.stale(10)).map((d) => d.id)).toEqual(['two']);
    await s.appendUpdates([{ documentId: 'one', data: new Uint8Array([0, 0]), editor: olga, at: 3000 }]);
    expect((await s.search.stale(10)).map((d) => d.id)).toEqual(['two', 'one']);
    // An entry of an older change never replaces a newer one.
    await s.search.index({ documentId: 'one', title: 'One', body: 'newer', updatedAt: 3000 });
    await s.search.index({ documentId: 'one', title: 'One', body: 'older', updatedAt: 1000 });
    expect((await s.search.search({ terms: ['newer'], reader: root, limit: 10, offset: 0 })).map((h) => h.documentId)).toEqual(['one']);
    expect(await s.search.search({ terms: ['older'], reader: root, limit: 10, offset: 0 })).toEqual([]);
    await s.deleteDocument('two');
    expect((await s.search.stale(10)).map((d) => d.id)).toEqual([]);
  });

  test('search: title matches first, every term needed, the last as a prefix, matches highlighted', async () => {
    const s = store();
    await people(s);
    const docs = [
      ['body', 'Meeting notes', 'We talked about the quarterly budget and the roadmap for spring.'],
      ['title', 'Budget 2025', 'Numbers for next year.'],
      ['other', 'Recipes', 'Flour, water and salt make bread.'],
    ] as const;
    for (const [index, [id, title, body]] of docs.entries()) {
      await create(s, id, title, 1000 + index);
      await s.search.index({ documentId: id, title, body, updatedAt: 1000 + index });
    }
    const find = async (...terms: string[]) => (await s.search.search({ terms, reader: vic, limit: 10, offset: 0 })).map((h) => h.documentId);
    expect(await find('budget')).toEqual(['title', 'body']);
    expect(await find('budget', 'roadmap')).toEqual(['body']);
    expect(await find('brea')).toEqual(['other']);
    expect(await find('nothing')).toEqual([]);
    // Operators are words, not syntax.
    expect(await find('budget', 'OR', 'flour')).toEqual([]);
    expect(await find('"', '*', 'NEAR(')).toEqual([]);
    const [hit] = await s.search.search({ terms: ['quarterly'], reader: vic, limit: 10, offset: 0 });
    expect(marked(hit!.snippet)).toContain('the [quarterly] budget');
  });

  test('search: only documents the reader may read, live ones, paged without repeats', async () => {
    const s = store();
    await people(s);
    for (let i = 0; i < 7; i++) {
      const id = `doc${i}`;
      await create(s, id, `Plan ${i}`, 1000 + i, i === 0 ? PRIVATE : WORKSPACE);
      await s.search.index({ documentId: id, title: `Plan ${i}`, body: 'shared plan', updatedAt: 1000 + i });
    }
    await s.access.replace('doc1', PRIVATE, [{ userId: 'vic', role: 'viewer' }]);
    await s.access.replace('doc2', PRIVATE, []);
    await s.deleteDocument('doc3');
    const pages: string[] = [];
    for (let offset = 0; offset < 10; offset += 2) {
      pages.push(...(await s.search.search({ terms: ['plan'], reader: vic, limit: 2, offset })).map((h) => h.documentId));
    }
    // Equal ranks: the entry of the later change first.
    expect(pages).toEqual(['doc6', 'doc5', 'doc4', 'doc1']);
    const all = await s.search.search({ terms: ['plan'], reader: root, limit: 10, offset: 0 });
    expect(all.map((h) => h.documentId).sort()).toEqual(['doc0', 'doc1', 'doc2', 'doc4', 'doc5', 'doc6']);
    expect(all[0]!.document).toMatchObject({ id: 'doc6', title: 'Plan 6', createdBy: olga, general: WORKSPACE, grant: null });
    const [granted] = await s.search.search({ terms: ['plan'], reader: vic, limit: 1, offset: 3 });
    expect(granted!.document).toMatchObject({ id: 'doc1', general: PRIVATE, grant: 'viewer' });
  });

  test('search: what a reader may read is found behind many better matches it may not', async () => {
    const s = store();
    await people(s);
    // More better matches hidden from vic than a page and its neighbours: deleted documents with
    // the word twice in their titles, and olga's private ones with it once.
    const documents: [id: string, title: string, body: string, general: GeneralAccess][] = [];
    for (let i = 0; i < 30; i++) documents.push([`gone${i}`, `Lantern lantern ${i}`, 'old', WORKSPACE]);
    for (let i = 0; i < 30; i++) documents.push([`mine${i}`, `Lantern ${i}`, 'private', PRIVATE]);
    for (let i = 0; i < 2; i++) documents.push([`open${i}`, `Open ${i}`, 'a lantern in the text', WORKSPACE]);
    for (const [index, [id, title, body, general]] of documents.entries()) {
      await create(s, id, title, 1000 + index, general);
      await s.search.index({ documentId: id, title, body, updatedAt: 1000 + index });
    }
    for (let i = 0; i < 30; i++) await s.deleteDocument(`gone${i}`);
    const find = async (reader: Reader, limit: number, offset: number) =>
      (await s.search.search({ terms: ['lantern'], reader, limit, offset })).map((h) => h.documentId);
    expect(await find(vic, 2, 0)).toEqual(['open1', 'open0']);
    expect(await find(vic, 1, 1)).toEqual(['open0']);
    expect(await find(vic, 2, 2)).toEqual([]);
    expect(await find(root, 2, 0)).toEqual(['mine29', 'mine28']);
    expect(await find(root, 2, 30)).toEqual(['open1', 'open0']);
  });
}
