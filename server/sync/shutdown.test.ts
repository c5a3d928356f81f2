/**
 * Graceful shutdown on SIGTERM, on a real child process: clients are told "going away" (1001)
 * and reconnect by themselves, every received edit and the open activity burst are stored, and
 * the process exits 0; a stop that hangs gives up after SHUTDOWN_TIMEOUT_MS and exits 1.
 */
import { afterEach, expect, test } from 'bun:test';
import { Database } from 'bun:sqlite';
import { join } from 'node:path';
import * as Y from 'yjs';
import type { ActivityEvent } from '../../shared/activity.ts';
import { CloseCode } from '../../shared/close-codes.ts';
import type { Page } from '../../shared/dto.ts';
import { createAccount, freePort, requestJson, spawnServer, type ChildServer } from '../test-support/child-server.ts';
import { closeCodes, connectClient, documentText, synced, tempDir, typeParagraph, waitFor, type Client } from '../test-support/harness.ts';
import { openRawSync } from '../test-support/raw-socket.ts';
import { encodeQueryAwareness, encodeSyncUpdate } from './protocol.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Bursts stay open for a minute, so only the shutdown can have stored one. */
const ENV = { ACTIVITY_IDLE_MS: '60000', ACTIVITY_MAX_SPAN_MS: '600000' };

test('SIGTERM: 1001 to clients, who reconnect to the restarted server; edits and the open burst are stored; exit 0', async () => {
  const dir = tempDir('quire-sigterm-');
  cleanups.push(() => dir.cleanup());
  const port = freePort();
  let child: ChildServer = await spawnServer({ dataDir: dir.path, port, env: ENV });
  cleanups.push(() => child.kill());
  const { token } = await createAccount(child.url, 'Ada');
  const { id } = await requestJson<{ id: string }>(child.url, '/api/documents', { json: { title: 'Shutdown' }, token });
  const activity = async () =>
    (await requestJson<Page<ActivityEvent>>(child.url, `/api/activity?documentId=${id}`, { token })).items.filter((event) => event.type === 'document.edited');

  const clients: Client[] = [0, 1].map(() => connectClient(child.wsUrl, id, token, { maxBackoffTime: 250 }));
  cleanups.push(...clients.map((client) => () => client.destroy()));
  const [a, b] = clients as [Client, Client];
  const [aCloses, bCloses] = [closeCodes(a), closeCodes(b)];
  await Promise.all([synced(a), synced(b)]);
  typeParagraph(a.doc, 'typed before shutdown;');
  await waitFor(() => documentText(b.doc).includes('typed before shutdown;'), 5000, 'the edit to reach b');

  // A last edit the server has read (it answered the query sent after it) and then at once the
  // signal: it may still be on its way to storage. Sent raw, so no client can resend it later.
  const last = new Y.Doc();
  last.on('update', (update: Uint8Array) => raw.send(encodeSyncUpdate(update)));
  const raw = openRawSync(child.wsUrl, id, token);
  await raw.nextFrame();
  const answered = raw.received.length;
  typeParagraph(last, 'the very last edit;');
  raw.send(encodeQueryAwareness());
  await waitFor(() => raw.received.length > answered, 5000, 'the answer to the query');
  expect(await activity()).toEqual([]); // the burst is still open
  child.process.kill('SIGTERM');

  expect(await child.exited).toBe(0);
  expect((await raw.closed).code).toBe(CloseCode.goingAway);
  await waitFor(() => aCloses.length > 0 && bCloses.length > 0, 5000, 'the clients to see the close');
  expect([aCloses[0], bCloses[0]]).toEqual([CloseCode.goingAway, CloseCode.goingAway]);

  // Restarted on the same data directory: the stock clients come back by themselves.
  child = await spawnServer({ dataDir: dir.path, port, env: ENV });
  await waitFor(() => a.provider.synced && b.provider.synced, 10_000, 'the clients to reconnect');
  typeParagraph(b.doc, 'typed after restart;');
  await waitFor(() => documentText(a.doc).includes('typed after restart;'), 5000, 'an edit after the restart');

  const reader = connectClient(child.wsUrl, id, token);
  cleanups.push(() => reader.destroy());
  await synced(reader);
  const text = documentText(reader.doc);
  for (const paragraph of ['typed before shutdown;', 'the very last edit;', 'typed after restart;']) {
    expect(text.split(paragraph).length).toBe(2); // present, once
  }
  const [edited] = await activity();
  expect(edited).toMatchObject({ type: 'document.edited', documentId: id, actor: { name: 'Ada' } });
  expect(edited!.details.excerpt).toContain('typed before shutdown;');
}, 30_000);

test('SHUTDOWN_TIMEOUT_MS: a stop stuck on storage that never answers gives up, logs why and exits 1; the clients still hold the edit', async () => {
  const dir = tempDir('quire-stuck-stop-');
  cleanups.push(() => dir.cleanup());
  const port = freePort();
  const logs: string[] = [];
  const env = { ...ENV, SHUTDOWN_TIMEOUT_MS: '1000' };
  let child: ChildServer = await spawnServer({ dataDir: dir.path, port, env, logLines: logs });
  cleanups.push(() => child.kill());
  const { token } = await createAccount(child.url, 'Ada');
  const { id } = await requestJson<{ id: string }>(child.url, '/api/documents', { json: { title: 'Stuck' }, token });
  const client = connectClient(child.wsUrl, id, token, { maxBackoffTime: 250 });
  cleanups.push(() => client.destroy());
  await synced(client);

  // Another process holds the database's write lock: every commit fails and is retried.
  const lock = new Database(join(dir.path, 'quire.sqlite'));
  lock.exec('PRAGMA busy_timeout = 5000');
  lock.exec('BEGIN EXCLUSIVE');
  typeParagraph(client.doc, 'typed while storage hangs;');
  await waitFor(async () => (await fetch(`${child.url}/healthz`)).status === 503, 5000, 'commits to fail');

  const signalledAt = performance.now();
  child.process.kill('SIGTERM');
  expect(await child.exited).toBe(1);
  expect(performance.now() - signalledAt).toBeLessThan(8000);
  const entries = logs.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(entries).toContainEqual(expect.objectContaining({ level: 'error', msg: 'shutdown timed out: exiting without finishing it', timeoutMs: 1000, pendingUpdates: 1 }));

  // Storage answers again and the instance restarts: the client sends what was never stored.
  lock.exec('ROLLBACK');
  lock.close();
  child = await spawnServer({ dataDir: dir.path, port, env });
  await waitFor(() => client.provider.synced, 10_000, 'the client to reconnect');
  const reader = connectClient(child.wsUrl, id, token);
  cleanups.push(() => reader.destroy());
  await synced(reader);
  expect(documentText(reader.doc)).toContain('typed while storage hangs;');
}, 30_000);
