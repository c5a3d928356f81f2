/**
 * Save marks over real sockets: a client learns that its edits are stored, never before they
 * are; an idle connection is answered at once (a liveness ping); marks are answered in order,
 * through a storage outage, across a gap the server had to ask to be filled, and before the
 * document finished loading.
 */
import { Database } from 'bun:sqlite';
import { afterEach, expect, test } from 'bun:test';
import * as decoding from 'lib0/decoding';
import { join } from 'node:path';
import * as Y from 'yjs';
import { CloseCode } from '../../shared/close-codes.ts';
import { SAVE_MARK_MESSAGE_TYPE } from '../../shared/protocol.ts';
import { documentText, startTestServer, waitFor, type TestServer } from '../test-support/harness.ts';
import { updateChain } from '../test-support/hostile-frames.ts';
import { openGreetedSync, openRawSync, type RawSync } from '../test-support/raw-socket.ts';
import { decodeMessage, encodeQueryAwareness, encodeSaveMark, encodeSyncStep2, encodeSyncUpdate } from './protocol.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(env: Record<string, string> = {}): Promise<{ server: TestServer; token: string; documentId: string }> {
  const server = await startTestServer({ env });
  cleanups.push(() => server.close());
  const { token } = await server.signIn('Ada');
  const { id } = await server.createDocument(token);
  return { server, token, documentId: id };
}

/** A raw sync connection whose room is open (the greeting arrived). */
const connect = (server: TestServer, documentId: string, token: string): Promise<RawSync> => openGreetedSync(server.wsUrl, documentId, token, cleanups);

/** The sequence numbers of the save marks the server acknowledged, in the order they arrived. */
function acks(raw: RawSync): number[] {
  return raw.received.filter((frame) => frame[0] === SAVE_MARK_MESSAGE_TYPE).map((frame) => (decodeMessage(frame) as { seq: number }).seq);
}

/** Resolves once the server has handled everything sent before: it answers a query only after them. */
async function roundTrip(raw: RawSync): Promise<void> {
  const answers = () => raw.received.filter((frame) => frame[0] === 1).length;
  const before = answers();
  raw.send(encodeQueryAwareness());
  await waitFor(() => answers() > before || raw.ending !== null, 5000, 'the answer to a query');
  expect(raw.ending).toBeNull();
}

async function storedText(server: TestServer, documentId: string): Promise<string> {
  const stored = new Y.Doc();
  for (const row of await server.server.services.store.loadUpdates(documentId)) Y.applyUpdate(stored, row.data);
  return documentText(stored);
}

/** Holds SQLite's write lock, as another process would: commits fail with SQLITE_BUSY until released. */
function lockStorage(server: TestServer): () => void {
  const lock = new Database(join(server.dataDir, 'quire.sqlite'));
  lock.exec('BEGIN EXCLUSIVE');
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    lock.exec('ROLLBACK');
    lock.close();
  };
  cleanups.push(release);
  return release;
}

test('a mark is answered only once the updates sent before it are stored', async () => {
  const { server, token, documentId } = await setUp();
  const raw = await connect(server, documentId, token);
  const [update] = updateChain(0x5a1e, ['stored before the ack']);
  // Read the store the moment the acknowledgement arrives (SQLite answers synchronously).
  let storedAtAck: Promise<string> | null = null;
  raw.socket.addEventListener('message', () => {
    if (!storedAtAck && acks(raw).length > 0) storedAtAck = storedText(server, documentId);
  });
  raw.send(encodeSyncUpdate(update!));
  raw.send(encodeSaveMark(1));
  await waitFor(() => storedAtAck !== null, 5000, 'the acknowledgement');
  expect(acks(raw)).toEqual([1]);
  expect(await storedAtAck!).toBe('stored before the ack');
});

test('a mark on an idle connection is answered at once, even while others wait for storage', async () => {
  const { server, token, documentId } = await setUp({ LOG_LEVEL: 'silent' });
  const writer = await connect(server, documentId, token);
  const idle = await connect(server, documentId, token);
  const release = lockStorage(server);
  const [update] = updateChain(0x10c4, ['written while locked']);
  writer.send(encodeSyncUpdate(update!));
  writer.send(encodeSaveMark(7));
  await waitFor(() => server.server.services.writer.failure !== null, 20_000, 'the commit to fail');

  // The idle connection sent nothing: its mark is a ping, answered whatever storage does.
  idle.send(encodeSaveMark(1));
  await waitFor(() => acks(idle).length === 1, 5000, "the idle connection's acknowledgement");
  expect(acks(idle)).toEqual([1]);
  // The writer's mark was handled (a later query was answered) but is not acknowledged.
  await roundTrip(writer);
  expect(acks(writer)).toEqual([]);
  expect(await storedText(server, documentId)).toBe('');

  release();
  await waitFor(() => acks(writer).length === 1, 20_000, "the writer's acknowledgement after the lock");
  expect(acks(writer)).toEqual([7]);
  expect(await storedText(server, documentId)).toBe('written while locked');
}, 60_000);

test('marks are answered in the order they were sent, each after the updates before it', async () => {
  const { server, token, documentId } = await setUp();
  const raw = await connect(server, documentId, token);
  const updates = updateChain(0x0dd, ['one;', 'two;', 'three;']);
  raw.send(encodeSyncUpdate(updates[0]!));
  raw.send(encodeSaveMark(30));
  raw.send(encodeSyncUpdate(updates[1]!));
  raw.send(encodeSaveMark(10));
  raw.send(encodeSaveMark(20));
  raw.send(encodeSyncUpdate(updates[2]!));
  raw.send(encodeSaveMark(40));
  await waitFor(() => acks(raw).length === 4, 5000, 'four acknowledgements');
  expect(acks(raw)).toEqual([30, 10, 20, 40]);
  expect(await storedText(server, documentId)).toBe('one;two;three;');
});

test('an update set aside for a missing dependency holds marks until the step 2 that fills the gap is stored', async () => {
  const { server, token, documentId } = await setUp();
  const raw = await connect(server, documentId, token);
  const [first, second] = updateChain(0x9a9, ['written before a crash;', 'typed after reconnecting;']);
  const sender = new Y.Doc();
  Y.applyUpdate(sender, first!);
  Y.applyUpdate(sender, second!);

  raw.send(encodeSaveMark(1)); // nothing sent yet: answered
  raw.send(encodeSyncUpdate(second!)); // its dependency is missing: set aside, and asked for
  raw.send(encodeSaveMark(2));
  await roundTrip(raw);
  await server.server.services.writer.idle();
  expect(acks(raw)).toEqual([1]);

  // The server's request for what it lacks is its latest sync step 1; answer it as a client would.
  const request = raw.received.filter((frame) => frame[0] === 0 && frame[1] === 0).at(-1)!;
  const decoder = decoding.createDecoder(request);
  decoding.readVarUint(decoder);
  decoding.readVarUint(decoder);
  raw.send(encodeSyncStep2(Y.encodeStateAsUpdate(sender, decoding.readVarUint8Array(decoder))));
  raw.send(encodeSaveMark(3));
  await waitFor(() => acks(raw).length === 3, 5000, 'the held acknowledgements');
  expect(acks(raw)).toEqual([1, 2, 3]);
  expect(await storedText(server, documentId)).toBe('written before a crash;typed after reconnecting;');
});

test('a mark sent before the document finished loading is queued and answered after the greeting', async () => {
  const { server, token, documentId } = await setUp();
  const store = server.server.services.store;
  const load = store.loadUpdates.bind(store);
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  store.loadUpdates = async (id) => {
    await gate;
    return load(id);
  };
  const raw = openRawSync(server.wsUrl, documentId, token);
  cleanups.push(() => raw.socket.close());
  expect(await raw.opened).toBe(true);
  raw.send(encodeSaveMark(5));
  await waitFor(() => server.server.services.rooms.size === 1, 5000, 'the room to start loading');
  expect(raw.received).toEqual([]);
  open();
  await waitFor(() => acks(raw).length === 1, 5000, 'the acknowledgement');
  expect(raw.received[0]![0]).toBe(0); // the greeting came first
  expect(acks(raw)).toEqual([5]);
});

test('marks count toward the message rate like any message', async () => {
  const { server, token, documentId } = await setUp({ MESSAGES_PER_SECOND: '20' });
  const raw = await connect(server, documentId, token);
  for (let seq = 0; seq < 100; seq++) raw.send(encodeSaveMark(seq));
  expect((await raw.closed).code).toBe(CloseCode.tooMany);
});

test('an update whose document was deleted before it could be stored is neither acknowledged nor broadcast', async () => {
  const { server, token, documentId } = await setUp();
  const writer = await connect(server, documentId, token);
  const reader = await connect(server, documentId, token);
  // Deleted through another instance, say, whose notice has not arrived: the store drops the update.
  const store = server.server.services.store;
  const append = store.appendUpdates.bind(store);
  store.appendUpdates = async (updates) => {
    await store.deleteDocument(documentId);
    return append(updates);
  };
  const [update] = updateChain(0xde1, ['typed into a deleted document']);
  writer.send(encodeSyncUpdate(update!));
  writer.send(encodeSaveMark(1));
  expect((await writer.closed).code).toBe(CloseCode.notFound);
  expect((await reader.closed).code).toBe(CloseCode.notFound);
  expect(acks(writer)).toEqual([]);
  expect(reader.received.some((frame) => frame[0] === 0 && frame[1] === 2)).toBe(false);
});
