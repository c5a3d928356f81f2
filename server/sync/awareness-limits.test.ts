/**
 * Awareness cannot make the server hold or send much: a connection holds one state (its own),
 * states are measured in UTF-8 bytes, a document holds a bounded total (so a joiner's greeting is
 * bounded), and a connection's state changes are rate-limited in bytes, whatever it sends.
 */
import { afterEach, expect, test } from 'bun:test';
import { MessageType } from '../../shared/protocol.ts';
import { closeCodes, connectClient, documentText, startTestServer, synced, typeParagraph, waitFor, type TestServer } from '../test-support/harness.ts';
import { awarenessFrame } from '../test-support/hostile-frames.ts';
import { openRawSync, type RawSync } from '../test-support/raw-socket.ts';
import { encodeQueryAwareness } from './protocol.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serverWith(env: Record<string, string> = {}): Promise<TestServer> {
  const server = await startTestServer({ env });
  cleanups.push(() => server.close());
  return server;
}

async function raw(server: TestServer, documentId: string, token: string): Promise<RawSync> {
  const socket = openRawSync(server.wsUrl, documentId, token);
  cleanups.push(() => socket.socket.close());
  await socket.nextFrame(); // sync step 1: the room is attached
  return socket;
}

/** Bytes of the awareness frames a socket received. */
const awarenessBytes = (socket: RawSync) =>
  socket.received.filter((frame) => frame[0] === MessageType.awareness).reduce((sum, frame) => sum + frame.byteLength, 0);

/** The awareness greeting a new connection gets right after its sync step 1, in bytes. */
async function greetingBytes(server: TestServer, documentId: string, token: string): Promise<number> {
  const joiner = await raw(server, documentId, token);
  await waitFor(() => joiner.received.some((frame) => frame[0] === MessageType.awareness), 5000, 'the awareness greeting');
  return joiner.received.find((frame) => frame[0] === MessageType.awareness)!.byteLength;
}

test('one socket sending 100 frames of 33 states of 60 KB in a second: the server holds one state and relays a bounded trickle', async () => {
  const server = await serverWith();
  const mallory = (await server.signIn('Mallory')).token;
  const ada = (await server.signIn('Ada')).token;
  const { id } = await server.createDocument(ada);
  const [a, b] = [connectClient(server.wsUrl, id, ada), connectClient(server.wsUrl, id, ada)];
  cleanups.push(() => a.destroy(), () => b.destroy());
  const closes = [...closeCodes(a), ...closeCodes(b)];
  await Promise.all([synced(a), synced(b)]);
  const listener = await raw(server, id, ada);
  const flooder = await raw(server, id, mallory);
  const junk = 'x'.repeat(60_000);
  const started = performance.now();
  for (let frame = 1; frame <= 100; frame++) {
    flooder.send(awarenessFrame(Array.from({ length: 33 }, (_, k) => ({ clientId: 7000 + k, clock: frame, json: JSON.stringify({ frame, junk }) }))));
    await Bun.sleep(10);
  }
  const seconds = (performance.now() - started) / 1000;
  flooder.send(encodeQueryAwareness());
  await Bun.sleep(200);

  // Past AWARENESS_BYTES_PER_SECOND (32 KiB, bursts of 128 KiB) its changes were dropped: a peer
  // heard a few states, not 100 × 60 KB.
  expect(awarenessBytes(listener)).toBeLessThan(128 * 1024 + 32 * 1024 * (seconds + 1) + 8 * 1024);
  const room = server.server.services.rooms.peek(id)!;
  const held = [...room.awareness.getStates().keys()].filter((clientId) => clientId >= 7000 && clientId < 7033);
  expect(held).toEqual([7000]); // its own id only: the other 32 were dropped unread
  expect(await greetingBytes(server, id, ada)).toBeLessThan(64 * 1024);
  expect(room.presence.bytes).toBeLessThan(64 * 1024);
  // Nobody was closed, and editing carries on.
  typeParagraph(a.doc, 'after the flood');
  await waitFor(() => documentText(b.doc) === 'after the flood', 5000, 'the edit');
  expect(closes).toEqual([]);
  expect(flooder.ending).toBeNull();
}, 20_000);

test('MAX_AWARENESS_BYTES counts UTF-8 bytes: a state of 2,000 euro signs (6,000 bytes) passes a 4 KiB limit no more', async () => {
  const server = await serverWith({ MAX_AWARENESS_BYTES: '4096' });
  const mallory = (await server.signIn('Mallory')).token;
  const { id } = await server.createDocument(mallory);
  const socket = await raw(server, id, mallory);
  const json = JSON.stringify({ name: '€'.repeat(2000) });
  expect(json.length).toBeLessThan(4096);
  socket.send(awarenessFrame([{ clientId: 44, clock: 1, json }]));
  const ending = await socket.closed;
  expect(ending.code).toBe(4413);
  expect(ending.reason).toContain('MAX_AWARENESS_BYTES');
});

test('MAX_DOCUMENT_AWARENESS_BYTES: states past the document total are dropped, so a joiner\'s greeting stays bounded; a state freed makes room', async () => {
  const server = await serverWith({ MAX_AWARENESS_BYTES: '4096', MAX_DOCUMENT_AWARENESS_BYTES: '8192' });
  const ada = (await server.signIn('Ada')).token;
  const { id } = await server.createDocument(ada);
  const people = await Promise.all(['A', 'B', 'C', 'D', 'E'].map(async (name) => (await server.signIn(name)).token));
  const sockets: RawSync[] = [];
  for (const [index, token] of people.entries()) {
    const socket = await raw(server, id, token);
    socket.send(awarenessFrame([{ clientId: 100 + index, clock: 1, json: JSON.stringify({ cursor: index, note: 'n'.repeat(3000) }) }]));
    socket.send(encodeQueryAwareness());
    await socket.nextFrame();
    sockets.push(socket);
  }
  const room = server.server.services.rooms.peek(id)!;
  expect([...room.awareness.getStates().keys()].sort()).toEqual([100, 101]);
  expect(room.presence.bytes).toBeLessThanOrEqual(8192);
  expect(await greetingBytes(server, id, ada)).toBeLessThan(8192 + 512);
  expect(sockets.every((socket) => socket.ending === null)).toBe(true); // dropped, never closed

  // A's connection leaves: E's next change fits.
  sockets[0]!.socket.close();
  await waitFor(() => !room.awareness.getStates().has(100), 5000, "A's state to go");
  sockets[4]!.send(awarenessFrame([{ clientId: 104, clock: 2, json: JSON.stringify({ cursor: 4, note: 'n'.repeat(3000) }) }]));
  await waitFor(() => room.awareness.getStates().has(104), 5000, "E's state");
  expect(room.presence.bytes).toBeLessThanOrEqual(8192);
});
