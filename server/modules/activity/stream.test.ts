/** The live activity stream: first bytes, resume without gap or duplicate, heartbeats, sign-out. */
import { afterEach, describe, expect, test } from 'bun:test';
import type { ActivityEvent } from '../../../shared/activity.ts';
import type { Page } from '../../../shared/dto.ts';
import { identityOf, startTestServer, waitFor, type TestServer } from '../../test-support/harness.ts';
import { ids, openStream, type StreamClient } from './stream-client.ts';

let server: TestServer | null = null;
const streams: StreamClient[] = [];

async function start(env: Record<string, string> = {}): Promise<TestServer> {
  server = await startTestServer({ env: { ACTIVITY_IDLE_MS: '200', SSE_HEARTBEAT_MS: '300', ...env } });
  return server;
}

async function stream(token: string, options: Parameters<typeof openStream>[2] = {}): Promise<StreamClient> {
  const opened = await openStream(server as TestServer, token, options);
  streams.push(opened);
  return opened;
}

async function rename(token: string, id: string, title: string): Promise<void> {
  const response = await (server as TestServer).request(`/api/documents/${id}`, { method: 'PATCH', token, json: { title } });
  expect(response.status).toBe(200);
}

/** Ids of every stored event, oldest first, once there are `count`. */
async function storedIds(token: string, count: number): Promise<number[]> {
  let items: ActivityEvent[] = [];
  await waitFor(async () => {
    const response = await (server as TestServer).request('/api/activity?limit=200', { token });
    items = ((await response.json()) as Page<ActivityEvent>).items;
    return items.length >= count;
  }, 5000, `${count} stored events`);
  return items.map((event) => event.id).reverse();
}

afterEach(async () => {
  for (const s of streams.splice(0)) await s.close();
  await server?.close();
  server = null;
});

describe('activity stream', () => {
  test('sends the retry hint at once, then each event with id, type and JSON data', async () => {
    const s = await start({ SSE_HEARTBEAT_MS: '15000' });
    const ada = await s.signIn('Ada');
    const opened = performance.now();
    const live = await stream(ada.token);
    expect(live.response.headers.get('content-type')).toStartWith('text/event-stream');
    await waitFor(() => live.retry !== null, 1000, 'retry hint');
    expect((live.firstBytesAt ?? Infinity) - opened).toBeLessThan(500);
    expect(live.retry).toBe(2000);

    const document = await s.createDocument(ada.token, { title: 'Plan' });
    await live.waitForEvents(1);
    const [event] = live.events;
    expect(event?.type).toBe('document.created');
    expect(event?.data).toMatchObject({ type: 'document.created', documentId: document.id, documentTitle: 'Plan', actor: identityOf(ada.user) });
    expect(event?.id).toBe(String(event?.data.id));
    // Exactly how others see Ada: her email and role stay out of the feed.
    expect(event?.data.actor).toEqual(identityOf(ada.user));
  });

  test('a fresh stream starts now: it does not replay history', async () => {
    const s = await start();
    const ada = await s.signIn('Ada');
    await s.createDocument(ada.token, { title: 'Old news' });
    await storedIds(ada.token, 1);
    const live = await stream(ada.token);
    const document = await s.createDocument(ada.token, { title: 'News' });
    await live.waitForEvents(1);
    await waitFor(() => live.comments.length >= 2, 2000, 'a heartbeat after the event');
    expect(live.events.map((e) => e.data.documentTitle)).toEqual(['News']);
    expect(live.events[0]?.data.documentId).toBe(document.id);
  });

  test.each(['header', 'query'] as const)('reconnecting with Last-Event-ID (%s) replays exactly the missed events, then live ones', async (via) => {
    const s = await start();
    const ada = await s.signIn('Ada');
    const first = await stream(ada.token);
    const document = await s.createDocument(ada.token, { title: 'v0' });
    await first.waitForEvents(1);
    const seen = Number(first.events[0]?.id);
    await first.close();

    for (let i = 1; i <= 5; i++) await rename(ada.token, document.id, `v${i}`);
    const missed = (await storedIds(ada.token, 6)).filter((id) => id > seen);
    expect(missed).toHaveLength(5);

    // More events land while the stream reconnects and replays: the seam must hold.
    const during = Promise.all([6, 7, 8].map((i) => rename(ada.token, document.id, `v${i}`)));
    const resumed = await stream(ada.token, via === 'header' ? { lastEventIdHeader: seen } : { lastEventIdQuery: seen });
    await during;
    await resumed.waitForEvents(8);
    await rename(ada.token, document.id, 'v9');
    await resumed.waitForEvents(9);
    await waitFor(() => resumed.comments.length >= 3, 3000, 'heartbeats after the last event');

    const all = (await storedIds(ada.token, 10)).filter((id) => id > seen);
    expect(ids(resumed)).toEqual(all);
    expect(ids(resumed).slice(0, 5)).toEqual(missed);
    expect(resumed.events.at(-1)?.data).toMatchObject({ type: 'document.renamed', details: { from: expect.any(String), to: 'v9' } });
  });

  test('a stream filtered by document carries only that document, live and on resume', async () => {
    const s = await start();
    const ada = await s.signIn('Ada');
    const mine = await s.createDocument(ada.token, { title: 'Mine' });
    const live = await stream(ada.token, { documentId: mine.id });
    await s.createDocument(ada.token, { title: 'Other' });
    await rename(ada.token, mine.id, 'Mine 2');
    await live.waitForEvents(1);
    const resumed = await stream(ada.token, { documentId: mine.id, lastEventIdHeader: 0 });
    await resumed.waitForEvents(2);
    await waitFor(() => live.comments.length >= 2 && resumed.comments.length >= 2, 2000, 'heartbeats');
    expect(live.events.map((e) => e.data.documentTitle)).toEqual(['Mine 2']);
    expect(resumed.events.map((e) => [e.type, e.data.documentId])).toEqual([
      ['document.created', mine.id],
      ['document.renamed', mine.id],
    ]);
  });

  test('comment heartbeats arrive while nothing happens', async () => {
    const s = await start({ SSE_HEARTBEAT_MS: '100' });
    const ada = await s.signIn('Ada');
    const live = await stream(ada.token);
    await waitFor(() => live.comments.filter((c) => c.includes('heartbeat')).length >= 3, 2000, 'three heartbeats');
    expect(live.events).toHaveLength(0);
    expect(live.ended).toBe(false);
  });

  test('the stream outlives the server idle timeout (10 s) and still delivers', async () => {
    const s = await start({ SSE_HEARTBEAT_MS: '15000' });
    const ada = await s.signIn('Ada');
    const live = await stream(ada.token);
    await waitFor(() => live.retry !== null, 1000, 'retry hint');
    await Bun.sleep(11_000); // silence longer than Bun's default idleTimeout, no heartbeat yet
    expect(live.ended).toBe(false);
    await s.createDocument(ada.token, { title: 'After the silence' });
    await live.waitForEvents(1, 2000);
    expect(live.events[0]?.data.documentTitle).toBe('After the silence');
  }, 20_000);

  test('signing out ends the stream; an invalid or missing session is refused with 401', async () => {
    const s = await start();
    const ada = await s.signIn('Ada');
    const bob = await s.signIn('Bob');
    const adaStream = await stream(ada.token);
    const bobStream = await stream(bob.token);
    await waitFor(() => adaStream.retry !== null && bobStream.retry !== null, 1000, 'both open');
    expect((await s.request('/api/session', { method: 'DELETE', token: ada.token })).status).toBe(204);
    await waitFor(() => adaStream.ended, 2000, "Ada's stream to end");
    // Bob is unaffected.
    await s.createDocument(bob.token, { title: 'Still here' });
    await bobStream.waitForEvents(1);
    expect(bobStream.ended).toBe(false);

    const refused = await s.request('/api/activity/stream', { token: ada.token });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect((await s.request('/api/activity/stream', { token: 'not-a-token' })).status).toBe(401);
    expect((await s.request('/api/activity/stream?lastEventId=abc', { token: bob.token })).status).toBe(400);
  });

  test('a server shutdown ends open streams', async () => {
    const s = await start();
    const ada = await s.signIn('Ada');
    const live = await stream(ada.token);
    await waitFor(() => live.retry !== null, 1000, 'open');
    await s.close();
    server = null;
    await waitFor(() => live.ended, 2000, 'stream end');
  });
});
