/**
 * Stock y-websocket clients relay every awareness change they hear: the removal of a peer they
 * timed out, stale states after a reconnect or a server restart. None of that may close the
 * relaying connection (4400-4499 are final for stock clients), and none of it may change a
 * presence its sender does not own.
 */
import { afterEach, expect, test } from 'bun:test';
import * as awarenessProtocol from 'y-protocols/awareness';
import { CloseCode } from '../../shared/close-codes.ts';
import {
  closeCodes,
  connectClient,
  documentText,
  startTestServer,
  synced,
  typeParagraph,
  waitFor,
  type Client,
  type TestServer,
} from '../test-support/harness.ts';
import { awarenessFrame } from '../test-support/hostile-frames.ts';
import { openRawSync, recordingClient } from '../test-support/raw-socket.ts';
import { encodeAwareness, encodeAwarenessEntries, encodeQueryAwareness } from './protocol.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Recording = ReturnType<typeof recordingClient>;

function stock(server: TestServer, documentId: string, token: string): Client {
  const client = connectClient(server.wsUrl, documentId, token);
  cleanups.push(() => client.destroy());
  return client;
}

function recording(server: TestServer, documentId: string, token: string): Recording {
  const client = recordingClient(server.wsUrl, documentId, token);
  cleanups.push(() => client.destroy());
  return client;
}

function statusOf(client: Client | Recording, clientId: number): string | undefined {
  return (client.provider.awareness.getStates().get(clientId) as { status?: string } | undefined)?.status;
}

function serverState(server: TestServer, documentId: string, clientId: number): { status?: string } | undefined {
  return server.server.services.rooms.peek(documentId)!.awareness.getStates().get(clientId) as { status?: string } | undefined;
}

/** Each client's edit reaches every other one, through the server. */
async function editsFlow(clients: (Client | Recording)[], marker: string): Promise<void> {
  for (const [index, from] of clients.entries()) {
    typeParagraph(from.doc, `${marker} ${index};`);
    await waitFor(() => clients.every((to) => documentText(to.doc).includes(`${marker} ${index};`)), 5000, `"${marker} ${index}" everywhere`);
  }
}

async function setUp(): Promise<{ server: TestServer; ada: string; bob: string; documentId: string }> {
  const server = await startTestServer();
  cleanups.push(() => server.close());
  const ada = (await server.signIn('Ada')).token;
  const bob = (await server.signIn('Bob')).token;
  const { id } = await server.createDocument(ada);
  return { server, ada, bob, documentId: id };
}

test("a peer's timeout removal of a silent user, relayed by another user's stock client, closes nobody and removes nothing", async () => {
  const { server, ada, bob, documentId } = await setUp();
  const silent = stock(server, documentId, ada);
  const relayer = recording(server, documentId, bob);
  const watcher = stock(server, documentId, ada);
  const relayerCloses = closeCodes(relayer);
  await Promise.all([synced(silent), synced(relayer), synced(watcher)]);
  silent.provider.awareness.setLocalStateField('status', 'Ada');
  const silentId = silent.doc.clientID;
  await waitFor(() => statusOf(relayer, silentId) === 'Ada' && statusOf(watcher, silentId) === 'Ada', 5000, 'the silent peer to be seen');
  const clock = relayer.provider.awareness.meta.get(silentId)!.clock;

  // Exactly what the relayer's Awareness does after 30 s without hearing from a peer.
  awarenessProtocol.removeAwarenessStates(relayer.provider.awareness, [silentId], 'timeout');
  // What goes on the wire: the peer's id, the clock it last heard (not incremented), state null.
  const relayed = encodeAwareness(encodeAwarenessEntries([{ clientId: silentId, clock, json: 'null', removes: true }]));
  await waitFor(() => relayer.sent.some((frame) => frame.length === relayed.length && frame.every((byte, i) => byte === relayed[i])), 5000, 'the relayed removal');

  // The server handled the relay before this edit (frames of one socket are handled in order).
  await editsFlow([relayer, watcher, silent], 'after the relay');
  expect(relayerCloses).toEqual([]);
  expect(relayer.provider.wsconnected).toBe(true);
  expect(serverState(server, documentId, silentId)?.status).toBe('Ada');
  expect(statusOf(watcher, silentId)).toBe('Ada');
});

test('stale states relayed after a server restart close nobody and leave no ghost; the owner shows up when it is back', async () => {
  const first = await startTestServer();
  const port = first.server.port;
  const dataDir = first.dataDir;
  const ada = (await first.signIn('Ada')).token;
  const bob = (await first.signIn('Bob')).token;
  const { id: documentId } = await first.createDocument(ada);
  const owner = stock(first, documentId, ada);
  const relayer = stock(first, documentId, bob);
  const [ownerCloses, relayerCloses] = [closeCodes(owner), closeCodes(relayer)];
  await Promise.all([synced(owner), synced(relayer)]);
  owner.provider.awareness.setLocalStateField('status', 'Ada');
  const ownerId = owner.doc.clientID;
  await waitFor(() => statusOf(relayer, ownerId) === 'Ada', 5000, 'the owner to be seen');
  // The owner's state as it went over the wire, for someone else to replay later.
  const stale = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(owner.provider.awareness, [ownerId]));

  // The owner is away over the restart (a laptop asleep); the relayer reconnects by itself.
  owner.provider.disconnect();
  await first.close({ keepData: true });
  const server = await startTestServer({ dataDir, env: { PORT: String(port) } });
  cleanups.push(() => server.close());
  await waitFor(() => relayerCloses.length === 1 && relayer.provider.synced, 10_000, 'the relayer to reconnect');
  // It announced itself on connecting, before this relay of a user who is not back yet.
  relayer.provider.ws!.send(stale);
  const watcher = stock(server, documentId, ada);
  await synced(watcher);
  await editsFlow([relayer, watcher], 'after the stale relay');
  expect(relayerCloses).toEqual([CloseCode.goingAway]);
  expect(serverState(server, documentId, ownerId)).toBeUndefined();
  expect(statusOf(watcher, ownerId)).toBeUndefined();

  // Back with the same client id and its old clock: shown, and its next change too.
  owner.provider.connect();
  await waitFor(() => statusOf(watcher, ownerId) === 'Ada', 5000, 'the owner to be back');
  owner.provider.awareness.setLocalStateField('status', 'Ada, back');
  await waitFor(() => statusOf(watcher, ownerId) === 'Ada, back' && statusOf(relayer, ownerId) === 'Ada, back', 5000, "the owner's next change");
  await editsFlow([owner, relayer, watcher], 'all back');
  expect(ownerCloses.filter((code) => code !== 0 && code !== CloseCode.goingAway)).toEqual([]);
  expect(relayerCloses).toEqual([CloseCode.goingAway]);
}, 30_000);

test("setting another user's presence is dropped: the victim's real state stays, and neither side is disconnected", async () => {
  const { server, ada, bob, documentId } = await setUp();
  const victim = stock(server, documentId, ada);
  const spoofer = stock(server, documentId, bob);
  const watcher = stock(server, documentId, ada);
  const [victimCloses, spooferCloses] = [closeCodes(victim), closeCodes(spoofer)];
  await Promise.all([synced(victim), synced(spoofer), synced(watcher)]);
  victim.provider.awareness.setLocalStateField('status', 'Ada');
  const victimId = victim.doc.clientID;
  await waitFor(() => statusOf(watcher, victimId) === 'Ada' && statusOf(spoofer, victimId) === 'Ada', 5000, 'the victim to be seen');
  const clock = victim.provider.awareness.meta.get(victimId)!.clock;

  // A newer clock than the victim's, with a state of the spoofer's choosing; then a removal.
  const spoof = (json: string, ahead: number) =>
    spoofer.provider.ws!.send(encodeAwareness(encodeAwarenessEntries([{ clientId: victimId, clock: clock + ahead, json, removes: json === 'null' }])));
  spoof(JSON.stringify({ status: 'Ada (not really)' }), 5);
  spoof('null', 6);
  await editsFlow([spoofer, watcher, victim], 'after the spoof');

  expect(statusOf(watcher, victimId)).toBe('Ada');
  expect(serverState(server, documentId, victimId)?.status).toBe('Ada');
  expect(victimCloses).toEqual([]);
  expect(spooferCloses).toEqual([]);
  // The victim's own changes still go through (its clock is behind the spoof's, but the spoof was never applied).
  victim.provider.awareness.setLocalStateField('status', 'Ada, moved');
  await waitFor(() => statusOf(watcher, victimId) === 'Ada, moved', 5000, "the victim's next change");
});

test('a reconnect that repeats its last clock while the old socket is still open keeps its presence shown when the old one closes', async () => {
  const { server, ada, documentId } = await setUp();
  const watcher = stock(server, documentId, ada);
  const typist = stock(server, documentId, ada);
  await Promise.all([synced(watcher), synced(typist)]);
  const clientId = 0x7e57;
  const open = async () => {
    const raw = openRawSync(server.wsUrl, documentId, ada);
    cleanups.push(() => raw.socket.close());
    await raw.nextFrame();
    raw.send(awarenessFrame([{ clientId, clock: 4, json: '{"status":"Ada"}' }]));
    return raw;
  };
  const old = await open();
  await waitFor(() => statusOf(watcher, clientId) === 'Ada', 5000, 'the first announcement');
  // The same client on a new socket, before the server noticed the old one is gone: same clock.
  const fresh = await open();
  const answers = fresh.received.length;
  fresh.send(encodeQueryAwareness());
  await waitFor(() => fresh.received.length > answers, 5000, 'the answer to a query');
  old.socket.close();
  await waitFor(() => server.server.services.rooms.peek(documentId)!.connections.size === 3, 5000, 'the old socket to be gone');
  expect(serverState(server, documentId, clientId)?.status).toBe('Ada');
  // A removal, had there been one, would reach the watcher before this later edit.
  typeParagraph(typist.doc, 'a round trip;');
  await waitFor(() => documentText(watcher.doc) === 'a round trip;', 5000, 'an edit');
  expect(statusOf(watcher, clientId)).toBe('Ada');
});
