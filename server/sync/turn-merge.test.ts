/**
 * A client that sends faster than the server turns (a reconnect's backlog, a replayed paste):
 * what it sent in one turn is applied, stored and broadcast merged, and nothing about it is lost,
 * reordered or acknowledged early.
 */
import { afterEach, expect, test } from 'bun:test';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { SAVE_MARK_MESSAGE_TYPE } from '../../shared/protocol.ts';
import { connectClient, documentText, startTestServer, synced, waitFor, type Client, type TestServer } from '../test-support/harness.ts';
import { openGreetedSync, type RawSync } from '../test-support/raw-socket.ts';
import { decodeMessage, encodeSaveMark, encodeSyncUpdate } from './protocol.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A server, a document, and a stock peer synced to it. */
async function setUp(): Promise<{ server: TestServer; token: string; documentId: string; peer: Client }> {
  const server = await startTestServer();
  cleanups.push(() => server.close());
  const { token } = await server.signIn('Ada');
  const { id } = await server.createDocument(token);
  const peer = connectClient(server.wsUrl, id, token);
  cleanups.push(() => peer.destroy());
  await synced(peer);
  return { server, token, documentId: id, peer };
}

/** A raw sync connection whose room is open (the greeting arrived). */
const connect = (server: TestServer, documentId: string, token: string): Promise<RawSync> => openGreetedSync(server.wsUrl, documentId, token, cleanups);

/** `count` keystrokes typed into a paragraph, one Yjs update each. */
function keystrokes(count: number): { updates: Uint8Array[]; text: string } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const paragraph = new Y.XmlElement('paragraph');
  doc.getXmlFragment('default').insert(0, [paragraph]);
  const text = new Y.XmlText();
  paragraph.insert(0, [text]);
  let typed = '';
  for (let i = 0; i < count; i++) {
    const char = String.fromCharCode(97 + (i % 26));
    text.insert(typed.length, char);
    typed += char;
  }
  return { updates, text: typed };
}

const isUpdateFrame = (frame: Uint8Array) => frame[0] === 0 && frame[1] === 2;

test('300 updates sent back to back reach a stock peer and storage complete, in fewer frames and rows, and the save mark after them waits for all', async () => {
  const { server, token, documentId, peer } = await setUp();
  const observer = await connect(server, documentId, token);
  const writer = await connect(server, documentId, token);
  const framesBefore = observer.received.filter(isUpdateFrame).length;

  const { updates, text } = keystrokes(300);
  for (const update of updates) writer.send(encodeSyncUpdate(update));
  writer.send(encodeSaveMark(1));

  await waitFor(() => writer.received.some((frame) => frame[0] === SAVE_MARK_MESSAGE_TYPE), 10_000, 'the save mark');
  expect((decodeMessage(writer.received.find((frame) => frame[0] === SAVE_MARK_MESSAGE_TYPE)!) as { seq: number }).seq).toBe(1);
  // Acknowledged only once everything sent before it is stored.
  const rows = await server.server.services.store.loadUpdates(documentId);
  const stored = new Y.Doc();
  for (const row of rows) Y.applyUpdate(stored, row.data);
  expect(documentText(stored)).toBe(text);

  await waitFor(() => documentText(peer.doc) === text, 10_000, 'the stock peer to hold the text');
  await waitFor(() => {
    const seen = new Y.Doc();
    for (const frame of observer.received.filter(isUpdateFrame)) Y.applyUpdate(seen, (decodeMessage(frame) as { update: Uint8Array }).update);
    return documentText(seen) === text;
  }, 10_000, 'the observer to hold the text');
  // Merged: fewer frames to each peer, and fewer rows, than updates sent.
  const frames = observer.received.filter(isUpdateFrame).length - framesBefore;
  expect(frames).toBeLessThan(300);
  expect(rows.length).toBeLessThan(300);
});

test('runs of updates with save marks between them are all applied and acknowledged; a corrupt update in a run closes only its sender, and only it is refused', async () => {
  const { server, token, documentId, peer } = await setUp();
  const writer = await connect(server, documentId, token);

  const { updates, text } = keystrokes(40);
  for (const update of updates.slice(0, 20)) writer.send(encodeSyncUpdate(update));
  writer.send(encodeSaveMark(1));
  for (const update of updates.slice(20)) writer.send(encodeSyncUpdate(update));
  writer.send(encodeSaveMark(2));
  await waitFor(() => writer.received.filter((frame) => frame[0] === SAVE_MARK_MESSAGE_TYPE).length === 2, 10_000, 'both save marks');
  await waitFor(() => documentText(peer.doc) === text, 10_000, 'the peer to hold the text');

  // A run with a corrupt update after a good one: the sender is closed as malformed; the good
  // update stays, as it would have sent alone, and nothing of the corrupt one is kept.
  const more = new Y.Doc();
  Y.applyUpdate(more, Y.encodeStateAsUpdate(peer.doc));
  const extra: Uint8Array[] = [];
  more.on('update', (update: Uint8Array) => extra.push(update));
  ((more.getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(text.length, 'xyz');
  writer.send(encodeSyncUpdate(extra[0]!));
  writer.send(encodeSyncUpdate(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3])));
  const ending = await writer.closed;
  expect(ending.code).toBe(4400);
  const other = connectClient(server.wsUrl, documentId, token);
  cleanups.push(() => other.destroy());
  await synced(other);
  expect(documentText(other.doc)).toBe(`${text}xyz`);
  await waitFor(() => documentText(peer.doc) === `${text}xyz`, 10_000, 'the peer to hold the good update');
});

test('a run joined into one update, with a struct only Yjs finds unreadable, keeps the updates before it and refuses it and the rest', async () => {
  const { server, token, documentId, peer } = await setUp();
  const writer = await connect(server, documentId, token);
  const { updates, text } = keystrokes(12);
  // Laid out as Yjs writes an update (so the run is joined), but its JSON content does not parse.
  const unreadable = encoding.createEncoder();
  for (const value of [1, 1, 424242, 0, 2 /* JSON content, no origin */, 1]) encoding.writeVarUint(unreadable, value);
  encoding.writeVarString(unreadable, 'list');
  encoding.writeVarUint(unreadable, 1);
  encoding.writeVarString(unreadable, '{not json');
  encoding.writeVarUint(unreadable, 0);
  // The paragraph, its text, then eight keystrokes.
  for (const update of updates.slice(0, 10)) writer.send(encodeSyncUpdate(update));
  writer.send(encodeSyncUpdate(encoding.toUint8Array(unreadable)));
  for (const update of updates.slice(10)) writer.send(encodeSyncUpdate(update));

  expect((await writer.closed).code).toBe(4400);
  await waitFor(() => documentText(peer.doc) === text.slice(0, 8), 3_000, 'the peer to hold the first eight keystrokes');
  const other = connectClient(server.wsUrl, documentId, token);
  cleanups.push(() => other.destroy());
  await synced(other);
  expect(documentText(other.doc)).toBe(text.slice(0, 8));
  expect(other.doc.getArray('list').length).toBe(0);
});

/** `count` paragraphs of `text`, one Yjs update each (a paragraph and its text run: two nodes). */
function paragraphUpdates(count: number, text: string): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  for (let i = 0; i < count; i++) {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(`${i}:${text}`)]);
    doc.getXmlFragment('default').insert(i, [paragraph]);
  }
  return updates;
}

test('updates sent in one turn count together against MAX_DOCUMENT_NODES and MAX_DOCUMENT_BYTES: each fits alone, the run does not', async () => {
  const server = await startTestServer({ env: { MAX_DOCUMENT_NODES: '100', MAX_DOCUMENT_BYTES: '4096' } });
  cleanups.push(() => server.close());
  const { token } = await server.signIn('Ada');
  for (const [limit, updates] of [
    ['MAX_DOCUMENT_NODES', paragraphUpdates(60, 'p')],
    ['MAX_DOCUMENT_BYTES', paragraphUpdates(30, 'x'.repeat(300))],
  ] as const) {
    const { id } = await server.createDocument(token);
    const writer = await connect(server, id, token);
    for (const update of updates) writer.send(encodeSyncUpdate(update));
    const ending = await writer.closed;
    expect(ending.code).toBe(4413);
    expect(ending.reason).toContain(limit);
    // What was stored (the room closed with its only connection).
    const doc = new Y.Doc();
    for (const row of await server.server.services.store.loadUpdates(id)) Y.applyUpdate(doc, row.data);
    const fragment = doc.getXmlFragment('default');
    // Within the limits: the paragraphs before the one that would pass them, none after.
    expect(fragment.length * 2).toBeLessThanOrEqual(100);
    expect(Y.encodeStateAsUpdate(doc).byteLength).toBeLessThanOrEqual(4096);
    expect(fragment.length).toBeGreaterThan(0);
  }
});
