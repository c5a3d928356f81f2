/** Faults: a locked database, a SIGTERM, a reader that stops reading. */
import { Database } from 'bun:sqlite';
import { afterEach, expect, test } from 'bun:test';
import { join } from 'node:path';
import * as Y from 'yjs';
import { CloseCode } from '../../shared/close-codes.ts';
import { connectClient, documentText, startTestServer, synced, typeParagraph, waitFor, type Client } from '../test-support/harness.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

test('while the database is locked: 503, logged, retried, nothing broadcast; afterwards stored and delivered', async () => {
  const server = await startTestServer({ env: { LOG_LEVEL: 'error' } });
  cleanups.push(() => server.close());
  const logged: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => (logged.push(String(chunk)), true)) as typeof process.stderr.write;
  cleanups.push(() => (process.stderr.write = write));
  const { token } = await server.signIn('Ada');
  const { id } = await server.createDocument(token);
  const writer = connectClient(server.wsUrl, id, token);
  const reader = connectClient(server.wsUrl, id, token);
  cleanups.push(() => writer.destroy(), () => reader.destroy());
  await Promise.all([synced(writer), synced(reader)]);
  typeParagraph(writer.doc, 'before;');
  await waitFor(() => documentText(reader.doc) === 'before;');

  // A real fault: another connection holds the write lock, so commits fail with SQLITE_BUSY.
  const lock = new Database(join(server.dataDir, 'quire.sqlite'));
  cleanups.push(() => lock.close());
  lock.exec('BEGIN EXCLUSIVE');
  typeParagraph(writer.doc, 'while locked;');
  const writerState = server.server.services.writer;
  await waitFor(() => writerState.failure !== null, 20_000, 'the commit to fail');
  const health = await server.request('/healthz');
  expect(health.status).toBe(503);
  expect(JSON.stringify(await health.json())).toContain('storing updates failing');
  expect(logged.some((line) => line.includes('storing document updates failed'))).toBe(true);
  expect(documentText(reader.doc)).toBe('before;'); // not durable, so not broadcast
  expect(writerState.pending).toBeGreaterThan(0);

  lock.exec('ROLLBACK');
  await waitFor(() => documentText(reader.doc) === 'before;while locked;', 20_000, 'delivery after recovery');
  expect((await server.request('/healthz')).status).toBe(200);
  const stored = new Y.Doc();
  for (const row of await server.server.services.store.loadUpdates(id)) Y.applyUpdate(stored, row.data);
  expect(documentText(stored)).toBe('before;while locked;');
}, 60_000);

test('a reader that stops reading is closed past MAX_BUFFERED_BYTES, others carry on, and it resyncs', async () => {
  const server = await startTestServer({ env: { MAX_BUFFERED_BYTES: String(64 * 1024), MESSAGES_PER_SECOND: '100000', MAX_DOCUMENT_BYTES: String(256 * 1024 * 1024) } });
  cleanups.push(() => server.close());
  const { token } = await server.signIn('Ada');
  const { id } = await server.createDocument(token);
  const writer = connectClient(server.wsUrl, id, token);
  const steady = connectClient(server.wsUrl, id, token);
  const slow: Client = connectClient(server.wsUrl, id, token);
  cleanups.push(() => writer.destroy(), () => steady.destroy(), () => slow.destroy());
  await Promise.all([synced(writer), synced(steady), synced(slow)]);
  const slowCloses: number[] = [];
  slow.provider.on('connection-close', (event: CloseEvent | null) => slowCloses.push(event?.code ?? 0));
  const socket = slow.provider.ws as unknown as { pause(): boolean; resume(): boolean };
  expect(socket.pause()).toBe(true);
  const room = server.server.services.rooms.peek(id)!;
  const block = 'x'.repeat(200 * 1024);
  let sentBlocks = 0;
  await waitFor(
    async () => {
      typeParagraph(writer.doc, `${sentBlocks++}${block}`);
      await Bun.sleep(5);
      return room.connections.size === 2;
    },
    30_000,
    'the slow reader to be dropped',
  );
  // The others never noticed.
  await waitFor(() => documentText(steady.doc) === documentText(writer.doc), 10_000, 'the steady reader to keep up');
  socket.resume();
  await waitFor(() => slowCloses.length > 0, 10_000, 'the slow reader to see its close');
  expect([CloseCode.tryAgainLater, 1006]).toContain(slowCloses[0]!);
  await waitFor(() => slow.provider.wsconnected && documentText(slow.doc) === documentText(writer.doc), 20_000, 'the slow reader to resync');
}, 60_000);
