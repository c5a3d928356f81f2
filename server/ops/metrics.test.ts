/**
 * `/metrics` scraped around a real load (two stock clients, one typing), asserting each counter
 * moved by exactly what the clients did; the gauges, the refusal counts and the token.
 */
import { afterEach, expect, test } from 'bun:test';
import * as Y from 'yjs';
import { CloseCode } from '../../shared/close-codes.ts';
import { encodeSyncUpdate } from '../sync/protocol.ts';
import { closeCodes, connectClient, documentText, startTestServer, synced, typeParagraph, waitFor, type TestServer } from '../test-support/harness.ts';
import { TEST_REDIS_URL } from '../test-support/services.ts';
import { metricValue, metricValues } from '../test-support/metrics-text.ts';
import { openStream } from '../modules/activity/stream-client.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function started(env: Record<string, string> = {}): Promise<TestServer> {
  const server = await startTestServer({ env });
  cleanups.push(() => server.close());
  return server;
}

async function scrape(server: TestServer, token?: string): Promise<string> {
  const response = await server.request('/metrics', { token });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toStartWith('text/plain; version=0.0.4');
  return response.text();
}

test('counters move by exactly what two stock clients did; gauges show the documents, connections and streams', async () => {
  const server = await started();
  const { token } = await server.signIn('Ada');
  const { id } = await server.createDocument(token);
  const [a, b] = [connectClient(server.wsUrl, id, token), connectClient(server.wsUrl, id, token)];
  cleanups.push(() => a.destroy(), () => b.destroy());
  await Promise.all([synced(a), synced(b)]);
  // Read as a browser would: a response nobody holds is collected, and its stream closed.
  const stream = await openStream(server, token);
  cleanups.push(() => stream.close());
  const before = await scrape(server);

  const TYPED = 40;
  let updateBytes = 0;
  let frameBytes = 0;
  a.doc.on('update', (update: Uint8Array) => {
    updateBytes += update.byteLength;
    frameBytes += encodeSyncUpdate(update).byteLength;
  });
  // One line at a time, as a person types: updates that arrive in one server turn are merged
  // into one stored row and one broadcast, which would make the counts depend on timing.
  for (let i = 0; i < TYPED; i++) {
    typeParagraph(a.doc, `line ${i};`);
    await waitFor(() => documentText(b.doc).includes(`line ${i};`), 10_000, `b to receive line ${i}`);
  }
  const after = await scrape(server);
  const moved = (name: string, labels?: Record<string, string>) => metricValue(after, name, labels) - metricValue(before, name, labels);

  expect(moved('quire_sync_updates_received_total')).toBe(TYPED);
  expect(moved('quire_sync_received_bytes_total')).toBe(updateBytes);
  // One recipient (b) per update: a sent them.
  expect(moved('quire_sync_messages_sent_total', { type: 'update' })).toBe(TYPED);
  expect(moved('quire_sync_sent_bytes_total', { type: 'update' })).toBe(frameBytes);
  expect(moved('quire_broadcast_delay_seconds_count')).toBe(TYPED);
  const batches = moved('quire_commit_duration_seconds_count');
  expect(batches).toBeGreaterThanOrEqual(1);
  expect(batches).toBeLessThanOrEqual(TYPED);
  expect(metricValue(after, 'quire_commit_duration_seconds_bucket', { le: '+Inf' })).toBe(metricValue(after, 'quire_commit_duration_seconds_count'));

  expect(metricValue(after, 'quire_open_documents')).toBe(1);
  expect(metricValue(after, 'quire_sync_connections')).toBe(2);
  expect(metricValue(after, 'quire_activity_stream_readers')).toBe(1);
  expect(metricValue(after, 'quire_storage_up')).toBe(1);
  expect(metricValue(after, 'quire_storage_commits_failing')).toBe(0);
  expect(metricValue(after, 'quire_updates_pending')).toBe(0);
  expect(metricValues(after, 'quire_redis_up')).toEqual([]); // not clustered
  // A stall of the event loop (the server runs in this process) shows in the lag: in the first
  // scrape after the monitor's delayed timer fired, which may come after the next scrape.
  Bun.sleepSync(250);
  let stall = 0;
  await waitFor(async () => (stall = metricValue(await scrape(server), 'quire_event_loop_lag_seconds', { quantile: '1' })) >= 0.1, 5000, 'the stall to show in the lag');
  expect(stall).toBeLessThan(5);
  // Every sample is Quire's own.
  for (const line of after.split('\n').filter((l) => l && !l.startsWith('#'))) expect(line).toStartWith('quire_');

  a.destroy();
  b.destroy();
  await waitFor(async () => metricValue(await scrape(server), 'quire_open_documents') === 0, 5000, 'the document to be released');
});

test('refusals are counted by the limit that refused them, once per 429', async () => {
  const server = await started({ MAX_STREAMS_PER_SESSION: '1', SESSIONS_PER_MINUTE_PER_IP: '3' });
  const { token, email } = await server.signIn('Ada'); // one of the three sign-in attempts
  const stream = await openStream(server, token);
  cleanups.push(() => stream.close());
  const refusedStreams = [];
  for (let i = 0; i < 3; i++) refusedStreams.push((await server.request('/api/activity/stream', { token })).status);
  expect(refusedStreams).toEqual([429, 429, 429]);
  let refusedSignIns = 0;
  for (let i = 0; i < 6; i++) {
    const response = await server.request('/api/session', { method: 'POST', json: { email, password: 'wrong password!' } });
    if (response.status === 429) refusedSignIns++;
  }
  expect(refusedSignIns).toBeGreaterThanOrEqual(3);
  let text = '';
  await waitFor(
    async () => metricValue((text = await scrape(server)), 'quire_rate_limit_refusals_total', { reason: 'sign_in_attempts' }) === refusedSignIns,
    5000,
    'every refusal to be counted',
  );
  expect(metricValue(text, 'quire_rate_limit_refusals_total', { reason: 'max_streams_per_session' })).toBe(3);
});

test('sockets closed for their message rate are counted by the limit they passed: the connection\'s or the account\'s', async () => {
  const server = await started({ MESSAGES_PER_SECOND: '20', MESSAGES_PER_SECOND_PER_USER: '30' });
  const { token } = await server.signIn('Ada');
  const { id } = await server.createDocument(token);
  // Two of Ada's connections, each within its own bursts of 40, together past her account's 60.
  const tabs = [connectClient(server.wsUrl, id, token), connectClient(server.wsUrl, id, token)];
  cleanups.push(...tabs.map((tab) => () => tab.destroy()));
  const codes = tabs.map(closeCodes);
  await Promise.all(tabs.map((tab) => synced(tab)));
  for (const [t, tab] of tabs.entries()) for (let i = 0; i < 35; i++) typeParagraph(tab.doc, `tab ${t} line ${i};`);
  const room = () => documentText(server.server.services.rooms.peek(id)?.doc ?? new Y.Doc());
  // Each connection is either refused or has had all its lines taken.
  await waitFor(() => tabs.every((_, t) => codes[t]!.includes(CloseCode.tooMany) || room().includes(`tab ${t} line 34;`)), 10_000, 'every connection to be refused or heard');
  const refusedTabs = codes.filter((tabCodes) => tabCodes.includes(CloseCode.tooMany)).length;
  expect(refusedTabs).toBeGreaterThanOrEqual(1);

  // One connection past its own rate (its account's bursts of 60 are not spent by its first 41).
  const { token: mallory } = await server.signIn('Mallory');
  const flooder = connectClient(server.wsUrl, id, mallory);
  cleanups.push(() => flooder.destroy());
  const flooderCodes = closeCodes(flooder);
  await synced(flooder);
  for (let i = 0; i < 50; i++) typeParagraph(flooder.doc, `flood ${i};`);
  await waitFor(() => flooderCodes.includes(CloseCode.tooMany), 10_000, 'the flooder to be refused');

  const text = await scrape(server);
  expect(metricValue(text, 'quire_rate_limit_refusals_total', { reason: 'messages_per_second_per_user' })).toBe(refusedTabs);
  expect(metricValue(text, 'quire_rate_limit_refusals_total', { reason: 'messages_per_second' })).toBe(1);
});

test('with METRICS_TOKEN, /metrics needs it as a Bearer token; clustered, it reports Redis', async () => {
  const METRICS_TOKEN = 'scrape-me-0123456789abcdef';
  const server = await started({ METRICS_TOKEN, REDIS_URL: TEST_REDIS_URL });
  expect((await server.request('/metrics')).status).toBe(401);
  expect((await server.request('/metrics', { token: 'scrape-me-0123456789abcdeX' })).status).toBe(401);
  const { token } = await server.signIn('Ada');
  expect((await server.request('/metrics', { token })).status).toBe(401); // a session is not the metrics token
  const text = await scrape(server, METRICS_TOKEN);
  expect(metricValue(text, 'quire_redis_up')).toBe(1);
});
