/**
 * History with stock y-websocket clients: one revision per edit burst, linked from its event;
 * counts net of what a burst undid; old revisions read as clients saw them; diffs that mark who
 * inserted and who deleted what; restores that reach every open client as one change and can be
 * undone; compaction that keeps every revision; thinning by age that keeps each one's content.
 */
import { afterEach, expect, test } from 'bun:test';
import * as Y from 'yjs';
import type { ActivityEvent } from '../../../shared/activity.ts';
import type { Page, Revision } from '../../../shared/dto.ts';
import { documentText, startTestServer, synced, typeParagraph, waitFor, type Client, type TestServer } from '../../test-support/harness.ts';
import { pngImage } from '../../test-support/images.ts';
import { adaAndBobIn, cleanedClient, editedEvents as edits } from './history-test-support.ts';
import { thinRevisions } from './retention.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}, 30_000);

async function start(env: Record<string, string> = {}): Promise<TestServer> {
  const server = await startTestServer({ env: { ACTIVITY_IDLE_MS: '150', ACTIVITY_MAX_SPAN_MS: '5000', ...env } });
  cleanups.push(() => server.close());
  return server;
}

const client = (server: TestServer, documentId: string, token: string): Client => cleanedClient(cleanups, server, documentId, token);

async function json<T>(response: Response | Promise<Response>, status = 200): Promise<T> {
  const answered = await response;
  if (answered.status !== status) throw new Error(`expected ${status}, got ${answered.status}: ${await answered.text()}`);
  return (await answered.json()) as T;
}

const revisions = (server: TestServer, token: string, id: string) => json<Page<Revision>>(server.request(`/api/documents/${id}/revisions`, { token }));
const revisionText = async (server: TestServer, token: string, id: string, rid: number) =>
  (await (await server.request(`/api/documents/${id}/revisions/${rid}/content?format=text`, { token })).text()).trim();

/** Appends text to the last paragraph, as typing at its end would. */
function typeAtEnd(doc: Y.Doc, text: string): void {
  const fragment = doc.getXmlFragment('default');
  const paragraph = fragment.get(fragment.length - 1) as Y.XmlElement;
  const run = paragraph.get(0) as Y.XmlText;
  run.insert(run.length, text);
}

/** Ada and Bob in one document of hers, both synced; she has written "Keep this" and "Remove this". */
async function adaWritesBobReads(server: TestServer) {
  const { ada, bob, id, alice, bobby } = await adaAndBobIn(cleanups, server, 'Minutes');
  typeParagraph(alice.doc, 'Keep this');
  typeParagraph(alice.doc, 'Remove this');
  return { ada, bob, id, alice, bobby };
}

test('one revision per burst, linked from its event, with words and an excerpt that keeps block breaks; undone typing nets out', async () => {
  const server = await start();
  const ada = await server.signIn('Ada');
  const { id } = await server.createDocument(ada.token, { title: 'Plan' });
  const alice = client(server, id, ada.token);
  await synced(alice);
  typeParagraph(alice.doc, 'Project plan');
  typeParagraph(alice.doc, 'This is the intro');
  await waitFor(async () => (await edits(server, ada.token, id)).length === 1, 5000, 'the first burst');
  const [first] = await edits(server, ada.token, id);
  expect(first!.details).toMatchObject({ inserted: 29, deleted: 0, words: { inserted: 6, deleted: 0 }, excerpt: 'Project plan\nThis is the intro' });
  const listed = await revisions(server, ada.token, id);
  expect(listed.items).toHaveLength(1);
  expect(listed.items[0]).toMatchObject({ id: first!.details.revisionId, kind: 'edit', authors: [{ id: ada.user.id, name: 'Ada' }], inserted: 29, words: { inserted: 6, deleted: 0 } });

  // Typed and taken back within one burst: " draft" then deleting it, and one real word.
  typeAtEnd(alice.doc, ' draft');
  const run = (alice.doc.getXmlFragment('default').get(1) as Y.XmlElement).get(0) as Y.XmlText;
  run.delete(run.length - 6, 6);
  typeAtEnd(alice.doc, '!');
  run.delete(0, 5); // "This " existed before the burst: a real deletion
  await waitFor(async () => (await edits(server, ada.token, id)).length === 2, 5000, 'the second burst');
  const [second] = await edits(server, ada.token, id);
  expect(second!.details).toMatchObject({ inserted: 1, deleted: 5, words: { inserted: 0, deleted: 1 }, excerpt: '!' });
  expect((await revisions(server, ada.token, id)).items).toHaveLength(2);

  // Typed and deleted entirely within a burst: no news, no event.
  typeAtEnd(alice.doc, 'oops');
  run.delete(run.length - 4, 4);
  typeParagraph(alice.doc, 'marker');
  await waitFor(async () => (await edits(server, ada.token, id)).length === 3, 5000, 'the third burst');
  const [third] = await edits(server, ada.token, id);
  expect(third!.details).toMatchObject({ inserted: 6, deleted: 0, excerpt: 'marker' });
}, 30_000);

test('an old revision reads as clients saw it; a diff marks who inserted and who deleted what; compaction keeps every revision', async () => {
  const server = await start({ COMPACT_AFTER_UPDATES: '10' });
  const { ada, bob, id, alice, bobby } = await adaWritesBobReads(server);
  await waitFor(async () => (await edits(server, ada.token, id)).length === 1, 5000, "Ada's burst");
  const seenThen = documentText(bobby.doc);
  await waitFor(() => documentText(bobby.doc) === 'Keep thisRemove this', 5000, "Ada's text at Bob");

  // Bob deletes Ada's second paragraph and adds his own; many small updates so the log compacts.
  bobby.doc.getXmlFragment('default').delete(1, 1);
  for (const word of ['Bob', ' was', ' here']) {
    if (word === 'Bob') typeParagraph(bobby.doc, word);
    else typeAtEnd(bobby.doc, word);
  }
  for (let i = 0; i < 12; i++) typeAtEnd(bobby.doc, '.');
  await waitFor(async () => (await edits(server, ada.token, id)).length === 2, 5000, "Bob's burst");
  const [bobs, adas] = await edits(server, ada.token, id);
  expect(bobs!.actor.id).toBe(bob.user.id);
  await waitFor(async () => (await server.server.services.store.loadUpdates(id)).length < 10, 5000, 'a compaction');

  // Every revision reads as it was, after compaction too.
  expect(await revisionText(server, ada.token, id, adas!.details.revisionId!)).toBe('Keep this\nRemove this');
  expect(seenThen === '' || seenThen.startsWith('Keep')).toBe(true);
  expect(await revisionText(server, ada.token, id, bobs!.details.revisionId!)).toBe('Keep this\nBob was here............');

  // The diff of Bob's revision: Ada's paragraph struck out by Bob, his own text inserted by him.
  const diff = await json<{ content: { content?: { text: string; marks?: { type: string; attrs?: { author: { id: string } | null } }[] }[] }[] }>(
    server.request(`/api/documents/${id}/revisions/${bobs!.details.revisionId}/diff`, { token: ada.token }),
  );
  const runs = diff.content.flatMap((block) => block.content ?? []).map((text) => [text.text, text.marks?.map((mark) => `${mark.type}:${mark.attrs?.author?.id === bob.user.id ? 'bob' : mark.attrs?.author?.id === ada.user.id ? 'ada' : '?'}`).join(',') ?? '']);
  // Bob's paragraph went in right after the one he kept, so it stands before the struck-out one.
  expect(runs).toEqual([
    ['Keep this', ''],
    ['Bob was here............', 'insertion:bob'],
    ['Remove this', 'deletion:bob'],
  ]);
  const html = await (await server.request(`/api/documents/${id}/revisions/${bobs!.details.revisionId}/diff?format=html`, { token: ada.token })).text();
  expect(html).toContain(`<del data-author-id="${bob.user.id}" data-author-name="Bob">Remove this</del>`);
  expect(html).toContain(`<ins data-author-id="${bob.user.id}" data-author-name="Bob">Bob was here............</ins>`);
  // Against the empty start (from: before the first revision is not a revision): 400 for a later one.
  expect((await server.request(`/api/documents/${id}/revisions/${adas!.details.revisionId}/diff?from=${bobs!.details.revisionId}`, { token: ada.token })).status).toBe(400);
}, 30_000);

test("a paragraph Bob deletes before Ada's burst has ended shows in Ada's revision, and as deleted by Bob in his", async () => {
  // Ada's burst stays open while Bob deletes what she just typed: her revision is taken after.
  const server = await start({ ACTIVITY_IDLE_MS: '1500' });
  const { ada, bob, id, alice, bobby } = await adaWritesBobReads(server);
  await waitFor(() => documentText(bobby.doc) === 'Keep thisRemove this', 5000, "Ada's text at Bob");
  expect(await edits(server, ada.token, id)).toHaveLength(0);
  bobby.doc.getXmlFragment('default').delete(1, 1);
  await waitFor(async () => (await edits(server, ada.token, id)).length === 2, 10_000, 'both bursts');
  const byActor = new Map((await edits(server, ada.token, id)).map((event) => [event.actor.id, event.details.revisionId!]));

  expect(await revisionText(server, ada.token, id, byActor.get(ada.user.id)!)).toBe('Keep this\nRemove this');
  expect(await revisionText(server, ada.token, id, byActor.get(bob.user.id)!)).toBe('Keep this');
  const html = await (await server.request(`/api/documents/${id}/revisions/${byActor.get(bob.user.id)}/diff?format=html`, { token: ada.token })).text();
  expect(html).toContain(`<del data-author-id="${bob.user.id}" data-author-name="Bob">Remove this</del>`);
  const adasDiff = await (await server.request(`/api/documents/${id}/revisions/${byActor.get(ada.user.id)}/diff?format=html`, { token: ada.token })).text();
  expect(adasDiff).toContain(`<ins data-author-id="${ada.user.id}" data-author-name="Ada">Remove this</ins>`);
}, 30_000);

test('a restore reaches both open clients as one change, named versions stay, and restoring the "before" revision undoes it', async () => {
  const server = await start();
  const { ada, bob, id, alice, bobby } = await adaAndBobIn(cleanups, server, 'Draft');
  typeParagraph(alice.doc, 'The good version');
  await waitFor(async () => (await edits(server, ada.token, id)).length === 1, 5000, 'the first burst');
  const named = await json<Revision>(server.request(`/api/documents/${id}/revisions`, { method: 'POST', token: ada.token, json: { label: 'Approved' } }), 201);
  expect(named).toMatchObject({ kind: 'named', label: 'Approved' });
  await waitFor(() => documentText(bobby.doc) === 'The good version', 5000, 'the text at Bob');
  bobby.doc.getXmlFragment('default').delete(0, 1);
  typeParagraph(bobby.doc, 'A worse version');
  await waitFor(() => documentText(alice.doc) === 'A worse version', 5000, "Bob's change at Ada");

  let updatesAtAda = 0;
  alice.doc.on('update', () => updatesAtAda++);
  const restored = await json<Revision>(server.request(`/api/documents/${id}/revisions/${named.id}/restore`, { method: 'POST', token: ada.token }));
  expect(restored).toMatchObject({ kind: 'restore', label: `Restored revision ${named.id}`, authors: [{ id: ada.user.id, name: 'Ada' }], words: { inserted: 2, deleted: 2 } });
  // Only what differs changed: "A worse" became "The good"; " version" stayed.
  await waitFor(() => documentText(alice.doc) === 'The good version' && documentText(bobby.doc) === 'The good version', 5000, 'both clients restored');
  expect(updatesAtAda).toBe(1); // one change
  const history = (await revisions(server, ada.token, id)).items;
  const before = history.find((revision) => revision.label === `Before restoring revision ${named.id}`)!;
  expect(await revisionText(server, ada.token, id, before.id)).toBe('A worse version');
  const events = (await json<Page<ActivityEvent>>(server.request(`/api/activity?documentId=${id}`, { token: ada.token }))).items;
  expect(events.find((event) => event.type === 'document.restored')).toMatchObject({ actor: { id: ada.user.id }, details: { revisionId: named.id } });

  // Undo: restore what the restore replaced.
  await json<Revision>(server.request(`/api/documents/${id}/revisions/${before.id}/restore`, { method: 'POST', token: bob.token }));
  await waitFor(() => documentText(alice.doc) === 'A worse version' && documentText(bobby.doc) === 'A worse version', 5000, 'the undo at both');
  // A viewer reads history but may not restore or name.
  await server.request(`/api/documents/${id}/access`, { method: 'PUT', token: ada.token, json: { general: { scope: 'workspace', role: 'viewer' }, grants: [] } });
  expect((await server.request(`/api/documents/${id}/revisions`, { token: bob.token })).status).toBe(200);
  expect((await server.request(`/api/documents/${id}/revisions/${named.id}/restore`, { method: 'POST', token: bob.token })).status).toBe(403);
  expect((await server.request(`/api/documents/${id}/revisions`, { method: 'POST', token: bob.token, json: { label: 'x' } })).status).toBe(403);
}, 30_000);

test('the trash keeps content, history and access; restore brings them back; purge after the retention (clock injected)', async () => {
  const server = await start({ TRASH_RETENTION_DAYS: '30' });
  const ada = await server.signIn('Ada');
  const bob = await server.signIn('Bob');
  const { id } = await server.createDocument(ada.token, { title: 'Kept', content: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'initial words here' }] }] } });
  const initial = (await revisions(server, ada.token, id)).items;
  expect(initial).toHaveLength(1);
  expect(initial[0]).toMatchObject({ inserted: 18, words: { inserted: 3, deleted: 0 } });
  await server.request(`/api/documents/${id}/access`, { method: 'PUT', token: ada.token, json: { general: { scope: 'private', role: 'viewer' }, grants: [{ user: { id: bob.user.id }, role: 'editor' }] } });

  expect((await server.request(`/api/documents/${id}`, { method: 'DELETE', token: bob.token })).status).toBe(403);
  expect((await server.request(`/api/documents/${id}`, { method: 'DELETE', token: ada.token })).status).toBe(204);
  expect((await server.request(`/api/documents/${id}`, { token: ada.token })).status).toBe(404);
  const trash = await json<Page<{ id: string; title: string; deletedAt: string }>>(server.request('/api/trash', { token: ada.token }));
  expect(trash.items.map((item) => [item.id, item.title])).toEqual([[id, 'Kept']]);
  expect((await json<Page<unknown>>(server.request('/api/trash', { token: bob.token }))).items).toEqual([]);
  expect((await server.request(`/api/trash/${id}/restore`, { method: 'POST', token: bob.token })).status).toBe(403);

  expect((await json<{ id: string }>(server.request(`/api/trash/${id}/restore`, { method: 'POST', token: ada.token }))).id).toBe(id);
  expect((await (await server.request(`/api/documents/${id}/content?format=text`, { token: bob.token })).text()).trim()).toBe('initial words here');
  expect((await revisions(server, bob.token, id)).items).toEqual(initial);

  // An image of it, to see it go with the document.
  const form = new FormData();
  form.set('file', new File([new Uint8Array(pngImage())], 'dot.png', { type: 'image/png' }));
  const image = await json<{ url: string }>(server.request(`/api/documents/${id}/attachments`, { method: 'POST', token: ada.token, body: form }), 201);
  expect((await server.request(image.url, { token: ada.token })).status).toBe(200);

  // Back in the trash; the automatic purge leaves it until the retention has passed.
  await server.request(`/api/documents/${id}`, { method: 'DELETE', token: ada.token });
  const trashService = server.server.services.trash;
  expect(await trashService.purgeExpired(Date.now() + 29 * 86_400_000)).toBe(0);
  expect(await trashService.purgeExpired(Date.now() + 31 * 86_400_000)).toBe(1);
  expect((await json<Page<unknown>>(server.request('/api/trash', { token: ada.token }))).items).toEqual([]);
  expect(await server.server.services.store.history.list(id, null, 10)).toEqual([]);
  expect((await server.request(image.url, { token: ada.token })).status).toBe(404);
  expect((await server.request(`/api/trash/${id}/restore`, { method: 'POST', token: ada.token })).status).toBe(404);
}, 30_000);

test('thinning by age keeps named versions and what every remaining revision shows (clock injected)', async () => {
  const server = await start();
  const ada = await server.signIn('Ada');
  const { id } = await server.createDocument(ada.token, { title: 'Long lived' });
  const alice = client(server, id, ada.token);
  await synced(alice);
  for (const word of ['one', 'two', 'three', 'four']) {
    typeParagraph(alice.doc, word);
    const count = ['one', 'two', 'three', 'four'].indexOf(word) + 1;
    await waitFor(async () => (await edits(server, ada.token, id)).length === count, 5000, `burst ${count}`);
    if (word === 'two') await json<Revision>(server.request(`/api/documents/${id}/revisions`, { method: 'POST', token: ada.token, json: { label: 'Milestone' } }), 201);
  }
  const before = (await revisions(server, ada.token, id)).items;
  expect(before).toHaveLength(5);
  const newest = before[0]!;
  const store = server.server.services.store;
  // 40 days on, all of them made within the same hour: the newest edit of that hour and the named version stay.
  const removed = await thinRevisions(store, 30, Date.now() + 40 * 86_400_000, server.server.services.logger);
  expect(removed).toBe(3);
  const after = (await revisions(server, ada.token, id)).items;
  expect(after.map((revision) => revision.kind)).toEqual(['edit', 'named']);
  expect(after[0]!.id).toBe(newest.id);
  expect(await revisionText(server, ada.token, id, newest.id)).toBe('one\ntwo\nthree\nfour');
  expect(await revisionText(server, ada.token, id, after[1]!.id)).toBe('one\ntwo');
}, 30_000);

test('with HISTORY=off nothing is recorded, and naming or restoring a version is refused with a clear 409', async () => {
  const server = await start({ HISTORY: 'off' });
  const ada = await server.signIn('Ada');
  const { id } = await server.createDocument(ada.token, { title: 'No history', content: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'kept' }] }] } });
  const alice = client(server, id, ada.token);
  await synced(alice);
  typeParagraph(alice.doc, 'typed');
  await waitFor(async () => (await edits(server, ada.token, id)).length === 1, 5000, 'the burst');
  expect((await edits(server, ada.token, id))[0]!.details.revisionId).toBeUndefined();
  expect((await revisions(server, ada.token, id)).items).toEqual([]);
  const named = await server.request(`/api/documents/${id}/revisions`, { method: 'POST', token: ada.token, json: { label: 'v1' } });
  expect(named.status).toBe(409);
  expect(((await named.json()) as { detail: string }).detail).toContain('HISTORY=off');
}, 30_000);
