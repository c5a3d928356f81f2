/**
 * Real time, real stock clients: one peer's uplink dies silently (its socket stays open, it
 * sends nothing more). After 30 s the other stock clients time its presence out and relay the
 * removal to the server, as y-protocols does. They must stay connected the whole time and keep
 * editing through the server; the silent peer is not kicked out either, and is seen again once
 * it speaks. Slow on purpose: the 30-second timeout is the point.
 */
import { afterEach, expect, test } from 'bun:test';
import {
  closeCodes,
  connectClient,
  documentText,
  startTestServer,
  synced,
  typeParagraph,
  waitFor,
  type Client,
} from '../test-support/harness.ts';
import { recordingClient } from '../test-support/raw-socket.ts';
import { decodeAwarenessEntries, decodeMessage } from './protocol.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

test('peers that time out a silent peer and relay its removal stay connected and keep editing', async () => {
  const server = await startTestServer();
  cleanups.push(() => server.close());
  const ada = (await server.signIn('Ada')).token;
  const bob = (await server.signIn('Bob')).token;
  const { id } = await server.createDocument(ada);
  const silent = connectClient(server.wsUrl, id, ada);
  const relayer = recordingClient(server.wsUrl, id, bob);
  const watcher = connectClient(server.wsUrl, id, ada);
  cleanups.push(() => silent.destroy(), () => relayer.destroy(), () => watcher.destroy());
  const closes = { silent: closeCodes(silent), relayer: closeCodes(relayer), watcher: closeCodes(watcher) };
  await Promise.all([synced(silent), synced(relayer), synced(watcher)]);

  silent.provider.awareness.setLocalStateField('user', { name: 'Silent Ada' });
  const silentId = silent.doc.clientID;
  const sees = (client: Client) => client.provider.awareness.getStates().has(silentId);
  await waitFor(() => sees(relayer) && sees(watcher), 5000, 'the silent peer to be seen');
  // Its uplink dies: the socket stays open and keeps receiving, nothing it sends arrives.
  const socket = silent.provider.ws!;
  const send = socket.send.bind(socket);
  socket.send = () => {};

  // Until the relayer times the silent peer out (about 30 s), it keeps editing through the server.
  let round = 0;
  while (sees(relayer)) {
    typeParagraph(relayer.doc, `during ${round};`);
    await waitFor(() => documentText(watcher.doc).includes(`during ${round};`), 5000, `edit ${round} to reach the watcher`);
    round++;
    await waitFor(() => !sees(relayer), 2000, 'the timeout').catch(() => {});
  }
  expect(round).toBeGreaterThan(5);

  // The relayer sent the removal: the silent peer's id, state null.
  const isRemoval = (frame: Uint8Array) => {
    const message = decodeMessage(frame);
    return message.type === 'awareness' && decodeAwarenessEntries(message.update).some((entry) => entry.clientId === silentId && entry.removes);
  };
  await waitFor(() => relayer.sent.some(isRemoval), 5000, 'the relayed removal');
  await waitFor(() => !sees(watcher), 5000, 'the watcher to time it out too');

  // Frames of one socket are handled in order: these edits went through after the relays.
  typeParagraph(relayer.doc, 'after the timeout;');
  await waitFor(() => documentText(watcher.doc).includes('after the timeout;'), 5000, 'the edit after the timeout');
  typeParagraph(watcher.doc, 'and back;');
  await waitFor(() => documentText(relayer.doc).includes('and back;'), 5000, "the watcher's edit");
  expect(closes.relayer).toEqual([]);
  expect(closes.watcher).toEqual([]);
  expect(relayer.provider.wsconnected && watcher.provider.wsconnected).toBe(true);

  // The silent peer was never disconnected: once its uplink is back it is seen again.
  expect(closes.silent).toEqual([]);
  expect(server.server.services.rooms.peek(id)!.connections.size).toBe(3);
  socket.send = send;
  silent.provider.awareness.setLocalStateField('user', { name: 'Ada, back' });
  await waitFor(() => sees(relayer) && sees(watcher), 5000, 'the peer to be seen again');
  expect(documentText(silent.doc)).toBe(documentText(watcher.doc));
}, 90_000);
