/**
 * A restore is one undoable change in the restorer's editor: with stock y-websocket clients and
 * the client's own undo history (`client/src/collab/restoreUndo.ts`), the restore converges
 * both clients, one undo by the restorer takes exactly it back for both, and a peer's edit made
 * meanwhile stays; the peer's own undo never reaches the restore.
 */
import { afterEach, expect, test } from 'bun:test';
import * as Y from 'yjs';
import type { Revision } from '../../../shared/dto.ts';
import { RestoreUndo } from '../../../client/src/collab/restoreUndo.ts';
import { adaAndBobIn, cleanedClient, editedEvents as editEvents } from './history-test-support.ts';
import { startTestServer, synced, typeParagraph, waitFor, type Client, type TestServer } from '../../test-support/harness.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}, 30_000);

const client = (server: TestServer, documentId: string, token: string): Client => cleanedClient(cleanups, server, documentId, token);

/** Each paragraph's text, in order. */
function paragraphs(doc: Y.Doc): string[] {
  return doc
    .getXmlFragment('default')
    .toArray()
    .map((block) => (block as Y.XmlElement).toArray().map((run) => (run as Y.XmlText).toString()).join(''));
}

const same = (doc: Y.Doc, expected: readonly string[]) => JSON.stringify(paragraphs(doc)) === JSON.stringify(expected);


test("the restorer's undo takes the restore back for both clients as one step and keeps the other's edit made since", async () => {
  const server = await startTestServer({ env: { ACTIVITY_IDLE_MS: '150', ACTIVITY_MAX_SPAN_MS: '5000' } });
  cleanups.push(() => server.close());
  const { ada, bob, id, alice, bobby } = await adaAndBobIn(cleanups, server, 'Plan');
  // Ada's editor: her own typing is undoable too, so one undo must prove to take only the restore.
  const adaUndo = new RestoreUndo(alice.doc, alice.provider);
  adaUndo.manager.addTrackedOrigin(null);
  cleanups.push(() => adaUndo.end());

  const written = ['Goals', 'Ship the beta', 'Hire two'];
  for (const text of written) typeParagraph(alice.doc, text);
  await waitFor(async () => (await editEvents(server, ada.token, id)).length === 1, 5000, "Ada's burst");
  const adasRevision = (await editEvents(server, ada.token, id))[0]!.details.revisionId!;
  await waitFor(() => same(bobby.doc, written), 5000, "Ada's text at Bob");

  bobby.doc.getXmlFragment('default').delete(1, 1);
  const withoutIt = ['Goals', 'Hire two'];
  await waitFor(() => same(alice.doc, withoutIt), 5000, "Bob's deletion at Ada");
  const bobUndo = new RestoreUndo(bobby.doc, bobby.provider);
  bobUndo.manager.addTrackedOrigin(null);
  cleanups.push(() => bobUndo.end());

  const nonce = adaUndo.expect();
  const response = await server.request(`/api/documents/${id}/revisions/${adasRevision}/restore`, { method: 'POST', token: ada.token, json: { nonce } });
  expect(response.status).toBe(200);
  expect(((await response.json()) as Revision).kind).toBe('restore');
  await waitFor(() => same(alice.doc, written) && same(bobby.doc, written), 5000, 'the restore at both');
  // The restore is Ada's to undo, not Bob's: his undo history holds nothing of it.
  expect(bobUndo.manager.canUndo()).toBe(false);

  // Bob carries on typing; then Ada undoes once.
  const run = (bobby.doc.getXmlFragment('default').get(2) as Y.XmlElement).get(0) as Y.XmlText;
  run.insert(run.length, ' engineers');
  const afterBob = ['Goals', 'Ship the beta', 'Hire two engineers'];
  await waitFor(() => same(alice.doc, afterBob), 5000, "Bob's typing at Ada");
  adaUndo.manager.undo();
  const undone = ['Goals', 'Hire two engineers'];
  await waitFor(() => same(alice.doc, undone) && same(bobby.doc, undone), 5000, 'the undo at both');

  // It is stored like any edit: a client opening the document now reads the undone state.
  const carol = client(server, id, ada.token);
  await synced(carol);
  expect(paragraphs(carol.doc)).toEqual(undone);
  // And it redoes as one step too.
  adaUndo.manager.redo();
  await waitFor(() => same(bobby.doc, ['Goals', 'Ship the beta', 'Hire two engineers']), 5000, 'the redo at Bob');
}, 30_000);

test('a restore asked for without a nonce, or by another tab, is nobody’s undo step', async () => {
  const server = await startTestServer({ env: { ACTIVITY_IDLE_MS: '150', ACTIVITY_MAX_SPAN_MS: '5000' } });
  cleanups.push(() => server.close());
  const ada = await server.signIn('Ada');
  const { id } = await server.createDocument(ada.token, { title: 'Plan' });
  const tab = client(server, id, ada.token);
  await synced(tab);
  typeParagraph(tab.doc, 'First draft');
  await waitFor(async () => (await editEvents(server, ada.token, id)).length === 1, 5000, 'the first burst');
  const first = (await editEvents(server, ada.token, id))[0]!.details.revisionId!;
  typeParagraph(tab.doc, 'More');
  await waitFor(async () => (await editEvents(server, ada.token, id)).length === 2, 5000, 'the second burst');
  const undo = new RestoreUndo(tab.doc, tab.provider);
  cleanups.push(() => undo.end());
  undo.expect(); // this tab's own nonce, which the other tab's request does not carry

  const other = await server.request(`/api/documents/${id}/revisions/${first}/restore`, { method: 'POST', token: ada.token, json: { nonce: 'another-tab' } });
  expect(other.status).toBe(200);
  await waitFor(() => same(tab.doc, ['First draft']), 5000, 'the restore at the tab');
  expect(undo.manager.canUndo()).toBe(false);
  const bare = await server.request(`/api/documents/${id}/revisions/${first}/restore`, { method: 'POST', token: ada.token });
  expect(bare.status).toBe(200);
  const bad = await server.request(`/api/documents/${id}/revisions/${first}/restore`, { method: 'POST', token: ada.token, json: { nonce: 'no spaces <here>' } });
  expect(bad.status).toBe(422);
}, 30_000);
