/**
 * Activity streams are capped per session and per account: past the cap a new stream is refused
 * with 429 problem+json and Retry-After before it opens, the open ones keep flowing, and a
 * stream that closes gives its place back.
 */
import { afterEach, expect, test } from 'bun:test';
import type { SessionResponse } from '../../../shared/dto.ts';
import { TEST_PASSWORD, startTestServer, waitFor, type TestServer } from '../../test-support/harness.ts';
import { openStream, type StreamClient } from './stream-client.ts';

let server: TestServer | null = null;
const streams: StreamClient[] = [];

afterEach(async () => {
  for (const s of streams.splice(0)) await s.close();
  await server?.close();
  server = null;
});

function request(token: string): Promise<Response> {
  return (server as TestServer).request('/api/activity/stream', { token });
}

/** Opens `count` streams at once; resolves with the responses, streams that opened kept for cleanup. */
async function openAtOnce(token: string, count: number): Promise<Response[]> {
  const responses = await Promise.all(Array.from({ length: count }, () => request(token)));
  for (const response of responses) if (response.status === 200) streams.push({ close: () => response.body!.cancel() } as StreamClient);
  return responses;
}

/** Another session of the same account (signing in again). */
async function signInAgain(email: string): Promise<string> {
  const response = await (server as TestServer).request('/api/session', { method: 'POST', json: { email, password: TEST_PASSWORD } });
  expect(response.status).toBe(201);
  return ((await response.json()) as SessionResponse).token;
}

test('MAX_STREAMS_PER_SESSION: two hundred streams at once on one token get the cap and 429s; the open ones keep flowing', async () => {
  server = await startTestServer({ env: { MAX_STREAMS_PER_SESSION: '3', MAX_STREAMS_PER_USER: '100' } });
  const ada = await server.signIn('Ada');
  const responses = await openAtOnce(ada.token, 200);
  expect(responses.filter((response) => response.status === 200).length).toBe(3);
  const refused = responses.find((response) => response.status === 429)!;
  expect(refused.headers.get('content-type')).toContain('application/problem+json');
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(((await refused.json()) as { detail: string }).detail).toContain('MAX_STREAMS_PER_SESSION');
  for (const response of responses) if (response.status === 429 && !response.bodyUsed) await response.text();
  expect(server.server.services.activity.hub.size).toBe(3);

  // Another session of the same account has its own streams; an open one still delivers events.
  const live = await openStream(server, await signInAgain(ada.email));
  streams.push(live);
  await server.createDocument(ada.token, { title: 'still flowing' });
  await live.waitForEvents(1);

  // Closing a stream gives its place back.
  await streams.shift()!.close();
  await waitFor(async () => {
    const again = await request(ada.token);
    if (again.status === 200) streams.push({ close: () => again.body!.cancel() } as StreamClient);
    else await again.body?.cancel();
    return again.status === 200;
  }, 5000, 'a freed stream');
});

test('MAX_STREAMS_PER_USER: many sessions of one account cannot pass the account cap; others are unaffected', async () => {
  server = await startTestServer({ env: { MAX_STREAMS_PER_SESSION: '2', MAX_STREAMS_PER_USER: '3' } });
  const mallory = await server.signIn('Mallory');
  const sessions = [mallory.token, await signInAgain(mallory.email), await signInAgain(mallory.email)];
  const statuses: number[] = [];
  for (const token of sessions) statuses.push(...(await openAtOnce(token, 2)).map((response) => response.status));
  expect(statuses.filter((status) => status === 200).length).toBe(3);
  const refused = await request(sessions[2]!);
  expect(refused.status).toBe(429);
  expect(((await refused.json()) as { detail: string }).detail).toContain('MAX_STREAMS_PER_USER');
  const ada = await server.signIn('Ada');
  expect((await openAtOnce(ada.token, 2)).map((response) => response.status)).toEqual([200, 200]);
});
