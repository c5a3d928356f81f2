/**
 * A document that is only read is served from its stored bytes: readers and returning clients
 * sync without the server building a Y.Doc (which holds ten times the stored size or more), and
 * the first edit builds it with nothing lost, broadcast, stored and counted as before.
 */
import { afterEach, expect, test } from 'bun:test';
import * as Y from 'yjs';
import type { Page, Revision } from '../../shared/dto.ts';
import { connectClient, documentText, startTestServer, synced, typeParagraph, waitFor, type Client, type TestServer } from '../test-support/harness.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function connect(server: TestServer, documentId: string, token: string, state?: Uint8Array): Client {
  const client = connectClient(server.wsUrl, documentId, token, { connect: false });
  if (state) Y.applyUpdate(client.doc, state);
  client.provider.connect();
  cleanups.push(() => client.destroy());
  return client;
}

/** A server restarted on a document that holds `paragraphs`, with nobody connected yet. */
async function restartedWith(paragraphs: string[]): Promise<{ server: TestServer; token: string; documentId: string }> {
  const first = await startTestServer();
  const { token } = await first.signIn('Ada');
  const { id } = await first.createDocument(token);
  const writer = connect(first, id, token);
  await synced(writer);
  for (const text of paragraphs) typeParagraph(writer.doc, text);
  const room = first.server.services.rooms.peek(id)!;
  await waitFor(() => documentText(room.doc) === paragraphs.join(''), 5000, 'server has the edits');
  await room.committed();
  writer.destroy();
  await first.close({ keepData: true });
  const server = await startTestServer({ dataDir: first.dataDir });
  cleanups.push(() => server.close());
  return { server, token, documentId: id };
}

test('readers and a returning client sync from the stored state; the first edit builds the document and reaches everyone', async () => {
  const { server, token, documentId } = await restartedWith(['first ', 'second ']);
  const rooms = server.server.services.rooms;

  const reader = connect(server, documentId, token);
  await waitFor(() => documentText(reader.doc) === 'first second ', 5000, 'reader has the text');
  await synced(reader);
  // A client that already holds everything (a reload with a cached copy) sends it all back in its step 2.
  const returning = connect(server, documentId, token, Y.encodeStateAsUpdate(reader.doc));
  await synced(returning);
  const content = await server.request(`/api/documents/${documentId}/content?format=text`, { token });
  expect((await content.text()).trim()).toBe('first \nsecond');
  expect(rooms.peek(documentId)?.liveDoc).toBeNull();

  typeParagraph(returning.doc, 'third');
  await waitFor(() => documentText(reader.doc) === 'first second third', 5000, 'reader sees the edit');
  expect(rooms.peek(documentId)?.liveDoc).not.toBeNull();
  await rooms.peek(documentId)!.committed();

  // Stored: a newcomer after another restart gets all of it.
  reader.destroy();
  returning.destroy();
  const dataDir = server.dataDir;
  await server.close({ keepData: true });
  const again = await startTestServer({ dataDir });
  cleanups.push(() => again.close());
  const newcomer = connect(again, documentId, token);
  await waitFor(() => documentText(newcomer.doc) === 'first second third', 5000, 'newcomer has every edit');
});

test('a returning client that deleted something while away builds the document, and the deletion reaches the others', async () => {
  const { server, token, documentId } = await restartedWith(['keep ', 'drop']);
  const reader = connect(server, documentId, token);
  await waitFor(() => documentText(reader.doc) === 'keep drop', 5000, 'reader has the text');

  // Offline, it removed the second paragraph: its step 2 carries no new struct, only a deletion.
  const away = new Y.Doc();
  Y.applyUpdate(away, Y.encodeStateAsUpdate(reader.doc));
  away.getXmlFragment('default').delete(1, 1);
  const returning = connect(server, documentId, token, Y.encodeStateAsUpdate(away));
  await synced(returning);
  await waitFor(() => documentText(reader.doc) === 'keep ', 5000, 'reader sees the deletion');
  expect(server.server.services.rooms.peek(documentId)?.liveDoc).not.toBeNull();
});

test('a document nobody changes for DOCUMENT_UNLOAD_AFTER_MS lets go of its Y.Doc, with every edit, event and revision kept', async () => {
  const server = await startTestServer({ env: { DOCUMENT_UNLOAD_AFTER_MS: '200', ACTIVITY_IDLE_MS: '100' } });
  cleanups.push(() => server.close());
  const { token } = await server.signIn('Ada');
  const { id } = await server.createDocument(token);
  const room = () => server.server.services.rooms.peek(id);
  const writer = connect(server, id, token);
  const reader = connect(server, id, token);
  await Promise.all([synced(writer), synced(reader)]);

  typeParagraph(writer.doc, 'before');
  await waitFor(() => documentText(reader.doc) === 'before', 5000, 'reader sees the first edit');
  expect(room()?.liveDoc).not.toBeNull();
  // Its burst ends and its revision is cut; then, idle, the room goes back to bytes.
  await waitFor(() => room()?.liveDoc === null, 5000, 'the idle document unloaded');

  typeParagraph(writer.doc, ' after');
  await waitFor(() => documentText(reader.doc) === 'before after', 5000, 'reader sees the edit made after the unload');
  await waitFor(() => room()?.liveDoc === null, 5000, 'unloaded again');

  const feed = (await (await server.request(`/api/activity?documentId=${id}`, { token })).json()) as Page<{ type: string }>;
  expect(feed.items.map((event) => event.type)).toEqual(['document.edited', 'document.edited', 'document.created']);
  const revisions = (await (await server.request(`/api/documents/${id}/revisions`, { token })).json()) as Page<Revision>;
  expect(revisions.items.map((revision) => revision.inserted)).toEqual([' after'.length, 'before'.length]);
  const latest = await server.request(`/api/documents/${id}/revisions/${revisions.items[0]!.id}/content?format=text`, { token });
  expect((await latest.text()).trim()).toBe('before\n after');
  // A newcomer joining the unloaded room gets everything.
  const newcomer = connect(server, id, token);
  await waitFor(() => documentText(newcomer.doc) === 'before after', 5000, 'newcomer has both edits');
});

test('a document stays built while an activity burst on it is open, though it was idle past DOCUMENT_UNLOAD_AFTER_MS', async () => {
  // History off: the burst alone holds the document (a pending revision would hold it too).
  const server = await startTestServer({ env: { DOCUMENT_UNLOAD_AFTER_MS: '100', ACTIVITY_IDLE_MS: '1500', HISTORY: 'off' } });
  cleanups.push(() => server.close());
  const { token } = await server.signIn('Ada');
  const { id } = await server.createDocument(token);
  const room = () => server.server.services.rooms.peek(id);
  const writer = connect(server, id, token);
  await synced(writer);
  typeParagraph(writer.doc, 'still being written');
  await waitFor(() => room()?.liveDoc !== null, 5000, 'the document built');
  let unloadedDuringBurst = false;
  const burstEnded = async () => {
    const feed = (await (await server.request(`/api/activity?documentId=${id}`, { token })).json()) as Page<{ type: string }>;
    const ended = feed.items.some((event) => event.type === 'document.edited');
    if (!ended && room()?.liveDoc === null) unloadedDuringBurst = true;
    return ended;
  };
  await waitFor(burstEnded, 10_000, 'the burst to end');
  expect(unloadedDuringBurst).toBe(false);
  await waitFor(() => room()?.liveDoc === null, 5000, 'unloaded once the burst ended');
});
