/** Faults: a locked database, a SIGTERM, a reader that stops reading (and what /metrics says of it). */
import { Database } from 'bun:sqlite';
import { afterEach, expect, test } from 'bun:test';
import { join } from 'node:path';
import * as Y from 'yjs';
import { connectClient, documentText, startTestServer, synced, typeParagraph, waitFor, type Client } from '../test-support/harness.ts';
import { metricValue } from '../test-support/metrics-text.ts';
import { startWatchdog } from '../test-support/watchdog.ts';

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
  // bun:sqlite is synchronous: a long busy wait would freeze every socket and request meanwhile.
  const watchdog = startWatchdog(server.url);
  typeParagraph(writer.doc, 'while locked;');
  const writerState = server.server.services.writer;
  await waitFor(() => writerState.failure !== null, 20_000, 'the commit to fail');
  const health = await server.request('/healthz');
  expect(await watchdog.stop()).toBeLessThan(2_000);
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

test('a reader that stops reading is no longer sent to past its bound, others carry on, and it catches up when it reads again; /metrics counts both', async () => {
  const maxBuffered = 64 * 1024;
  const server = await startTestServer({ env: { MAX_BUFFERED_BYTES: String(maxBuffered), MESSAGES_PER_SECOND: '100000', MAX_DOCUMENT_BYTES: String(256 * 1024 * 1024) } });
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
  const counters = async () => {
    const text = await (await server.request('/metrics')).text();
    return { fellBehind: metricValue(text, 'quire_sync_slow_readers_total'), caughtUp: metricValue(text, 'quire_sync_slow_readers_caught_up_total') };
  };
  expect(await counters()).toEqual({ fellBehind: 0, caughtUp: 0 });
  const socket = slow.provider.ws as unknown as { pause(): boolean; resume(): boolean };
  expect(socket.pause()).toBe(true);
  const room = server.server.services.rooms.peek(id)!;
  const onServer = () => [...room.connections].find((connection) => room.isBehind(connection));
  const block = 'x'.repeat(20 * 1024);
  let sentBlocks = 0;
  await waitFor(
    async () => {
      typeParagraph(writer.doc, `${sentBlocks++}${block}`);
      await Bun.sleep(2);
      return onServer() !== undefined;
    },
    30_000,
    'the server to stop sending to the slow reader',
  );
  // It keeps being skipped while the writer goes on: what waits for it stays bounded.
  for (let i = 0; i < 50; i++) typeParagraph(writer.doc, `${sentBlocks++}${block}`);
  await waitFor(() => documentText(steady.doc) === documentText(writer.doc), 10_000, 'the steady reader to keep up');
  expect(onServer()!.queuedBytes).toBeLessThanOrEqual(maxBuffered + block.length * 2);
  expect(room.connections.size).toBe(3);
  const whileBehind = await counters();
  expect(whileBehind.fellBehind).toBeGreaterThanOrEqual(1);
  // Every earlier fall but the one it is in now was caught up (the kernel can take a catch-up in while it is paused).
  expect(whileBehind.caughtUp).toBe(whileBehind.fellBehind - 1);
  socket.resume();
  await waitFor(() => documentText(slow.doc) === documentText(writer.doc), 20_000, 'the slow reader to catch up');
  expect(slowCloses).toEqual([]);
  expect(onServer()).toBeUndefined();
  const after = await counters();
  expect(after.caughtUp).toBe(after.fellBehind);
  expect(after.fellBehind).toBeGreaterThanOrEqual(whileBehind.fellBehind);
}, 60_000);
