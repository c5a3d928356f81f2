/**
 * Thousands of generated hostile frames (random bytes, mutations of frames a real client sent,
 * and structure-aware ones: deep and wide trees as real Yjs updates, awareness states of every
 * size and count) on several raw connections at a live server, while two stock clients edit and
 * an event-loop watchdog polls it. Every bad connection ends with a documented close code, the
 * server never stalls, the document stays within its structure limits, and afterwards the good
 * clients still sync and the stored document equals their state.
 */
import { expect, test } from 'bun:test';
import * as Y from 'yjs';
import { CloseCode } from '../../shared/close-codes.ts';
import { SqliteStore } from '../storage/sqlite.ts';
import { fuzzFrames, seededRandom } from '../test-support/hostile-frames.ts';
import { connectClient, documentText, startTestServer, synced, typeParagraph, waitFor } from '../test-support/harness.ts';
import { openRawSync, recordingClient } from '../test-support/raw-socket.ts';
import { startWatchdog } from '../test-support/watchdog.ts';
import { checkStructure } from '../modules/documents/structure.ts';
import { encodeQueryAwareness } from './protocol.ts';

const FRAMES = 3000;
const WORKERS = 4;
const DEADLINE_MS = 15_000;
/** Generous for a busy machine; the benchmark reports the real figure against 250 ms. */
const LONGEST_ALLOWED_WAIT_MS = 2_000;
/** Bun's own hard cap (far above MAX_MESSAGE_BYTES) answers 1009 before our code sees such a frame. */
const DOCUMENTED = new Set<number>([...Object.values(CloseCode), 1009]);

test('a fuzzed server keeps serving and keeps the stored document equal to the peers', async () => {
  const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1e9);
  const limits = { maxMessageBytes: 16 * 1024, maxAwarenessBytes: 2048, maxNestingDepth: 12, maxDocumentNodes: 3000, maxDocumentAwarenessBytes: 16 * 1024 };
  const server = await startTestServer({
    env: {
      MAX_MESSAGE_BYTES: String(limits.maxMessageBytes),
      MAX_AWARENESS_BYTES: String(limits.maxAwarenessBytes),
      MAX_NESTING_DEPTH: String(limits.maxNestingDepth),
      // Small enough for wide rows to fill the document during the run: past it, additions are refused.
      MAX_DOCUMENT_NODES: String(limits.maxDocumentNodes),
      MAX_DOCUMENT_AWARENESS_BYTES: String(limits.maxDocumentAwarenessBytes),
      CONNECTIONS_PER_SECOND_PER_IP: '100000',
      CONNECTIONS_PER_SECOND_PER_USER: '100000',
      MESSAGES_PER_SECOND: '100000',
      MESSAGES_PER_SECOND_PER_USER: '100000',
    },
  });
  const ada = (await server.signIn('Ada')).token;
  const mallory = (await server.signIn('Mallory')).token;
  const { id } = await server.createDocument(ada);
  let expected = '';
  try {
    // Real frames: what a stock client sends while it syncs, types and moves its cursor.
    const recorder = recordingClient(server.wsUrl, id, mallory);
    await waitFor(() => recorder.provider.synced, 5000, 'recorder sync');
    for (let i = 0; i < 10; i++) {
      typeParagraph(recorder.doc, `real ${i}`);
      recorder.provider.awareness.setLocalStateField('cursor', { anchor: i, head: i });
    }
    await waitFor(() => recorder.sent.length >= 20, 5000, 'recorded frames');
    const real = recorder.sent.slice();
    recorder.destroy();

    const editor = connectClient(server.wsUrl, id, ada);
    const peer = connectClient(server.wsUrl, id, ada);
    const goodCloses: number[] = [];
    for (const client of [editor, peer]) client.provider.on('connection-close', (event: CloseEvent | null) => goodCloses.push(event?.code ?? 0));
    await Promise.all([synced(editor), synced(peer)]);
    // The good editor types into one paragraph: the fuzz fills the document's node budget, and
    // typing text adds no nodes.
    typeParagraph(editor.doc, 'good: ');
    const fragment = editor.doc.getXmlFragment('default');
    const line = (fragment.get(fragment.length - 1) as Y.XmlElement).get(0) as Y.XmlText;
    const type = (text: string) => line.insert(line.length, text);
    let typed = 0;
    const typing = setInterval(() => type(`good ${typed++};`), 20);
    const watchdog = startWatchdog(server.url);

    const next = fuzzFrames(seededRandom(seed), real, limits);
    const codes = new Map<number, number>();
    const kinds = new Map<string, number>();
    let sent = 0;
    const deadline = performance.now() + DEADLINE_MS;
    const worker = async () => {
      while (sent < FRAMES && performance.now() < deadline) {
        const raw = openRawSync(server.wsUrl, id, mallory);
        if (!(await raw.opened)) throw new Error(`upgrade refused: ${raw.ending?.code}`);
        while (raw.ending === null && sent < FRAMES && performance.now() < deadline) {
          const { kind, frame } = next();
          kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
          const before = raw.received.length;
          raw.send(frame);
          sent++;
          // The server answers a query only after handling the frame before it: so each frame is
          // judged on a live connection (the close, if any, comes instead of the answer).
          raw.send(encodeQueryAwareness());
          await waitFor(() => raw.received.length > before || raw.ending !== null, 5000, 'the answer to a query');
        }
        raw.socket.close();
        const { code } = await raw.closed;
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));
    clearInterval(typing);
    const longestWait = await watchdog.stop();

    const report = `seed ${seed}; frames ${sent}; close codes ${JSON.stringify([...codes])}; kinds ${JSON.stringify([...kinds])}; longest wait ${Math.round(longestWait)} ms`;
    expect(longestWait, report).toBeLessThan(LONGEST_ALLOWED_WAIT_MS);
    expect(sent, report).toBe(FRAMES);
    // 1000/1005: our own client closing a socket the server had not closed yet.
    const unexpected = [...codes.keys()].filter((code) => !DOCUMENTED.has(code) && code !== 1000 && code !== 1005);
    expect(unexpected, report).toEqual([]);
    expect(codes.get(CloseCode.malformed) ?? 0, report).toBeGreaterThan(500);
    expect(goodCloses, report).toEqual([]);
    expect((await server.request('/healthz')).status).toBe(200);

    // The good clients still exchange edits, and a newcomer syncs to the same state.
    type('after the storm');
    await waitFor(() => documentText(peer.doc) === documentText(editor.doc), 5000, 'the edit after fuzzing');
    const newcomer = connectClient(server.wsUrl, id, ada);
    await waitFor(() => newcomer.provider.synced && documentText(newcomer.doc) === documentText(editor.doc), 5000, 'newcomer sync');
    expected = documentText(editor.doc);
    for (let i = 0; i < typed; i++) expect(expected).toContain(`good ${i};`);
    const room = server.server.services.rooms.peek(id)!;
    expect(room.doc.store.pendingStructs).toBeNull();
    expect(room.doc.store.pendingDs).toBeNull();
    // Nothing the fuzz sent took the document or its presence past their limits.
    expect(() => checkStructure(room.doc.getXmlFragment('default'), limits), report).not.toThrow();
    expect(room.presence.bytes, report).toBeLessThanOrEqual(limits.maxDocumentAwarenessBytes);
    expect(codes.get(CloseCode.tooLarge) ?? 0, report).toBeGreaterThan(100);
    const served = await (await server.request(`/api/documents/${id}/content?format=text`, { token: ada })).text();
    expect(served).toContain('after the storm');
    for (const client of [editor, peer, newcomer]) client.destroy();
    await waitFor(() => server.server.services.rooms.size === 0, 5000, 'room release');
  } finally {
    await server.close({ keepData: true });
  }
  // What survives a restart is exactly what the peers had, with nothing left pending.
  const store = new SqliteStore(server.dataDir);
  try {
    const reloaded = new Y.Doc();
    for (const row of await store.loadUpdates(id)) Y.applyUpdate(reloaded, row.data);
    expect(reloaded.store.pendingStructs).toBeNull();
    expect(reloaded.store.pendingDs).toBeNull();
    expect(documentText(reloaded)).toBe(expected);
    const restarted = await startTestServer({ dataDir: server.dataDir });
    const reader = connectClient(restarted.wsUrl, id, ada);
    await synced(reader);
    expect(documentText(reader.doc)).toBe(documentText(reloaded));
    reader.destroy();
    await restarted.close();
  } finally {
    await store.close();
  }
}, 40_000);
