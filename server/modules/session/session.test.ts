/** Sign-in, identity and sign-out as a client sees them. */
import { afterEach, beforeEach, expect, test } from 'bun:test';
import { startTestServer, type TestServer } from '../../test-support/harness.ts';
import { signToken, verifyToken } from './token.ts';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server?.close());

test('sign in returns the user and a token that identifies them', async () => {
  const response = await server.request('/api/session', { method: 'POST', json: { name: '  Ada  ' } });
  expect(response.status).toBe(201);
  const { token, user } = await response.json();
  expect(user).toMatchObject({ name: 'Ada', color: expect.stringMatching(/^#[0-9a-f]{6}$/) });
  const me = await server.request('/api/session', { token });
  expect(await me.json()).toEqual({ user });
});

test('names must be 1 to 64 characters after trimming', async () => {
  for (const name of ['', '   ', 'x'.repeat(65)]) {
    const response = await server.request('/api/session', { method: 'POST', json: { name } });
    expect(response.status).toBe(400);
    expect((await response.json()).fields).toEqual(['name']);
  }
  expect((await server.request('/api/session', { method: 'POST', json: { name: 'x'.repeat(64) } })).status).toBe(201);
  expect((await server.request('/api/session', { method: 'POST', json: {} })).status).toBe(422);
});

test('signing in again while signed in keeps the identity and changes the name', async () => {
  const first = await server.signIn('Ada');
  const again = await server.request('/api/session', { method: 'POST', token: first.token, json: { name: 'Ada Lovelace' } });
  const second = await again.json();
  expect(second.user).toEqual({ ...first.user, name: 'Ada Lovelace' });
  // The old token was replaced.
  expect((await server.request('/api/session', { token: first.token })).status).toBe(401);
});

test('tampered, forged and signed-out tokens get 401', async () => {
  const { token } = await server.signIn('Ada');
  const [id, expiry, signature] = token.split('.') as [string, string, string];
  const tampered = `${id}.${(Number.parseInt(expiry, 36) + 1000).toString(36)}.${signature}`;
  for (const bad of [tampered, `${id}.${expiry}.${'A'.repeat(signature.length)}`, 'garbage', signToken('another-secret'.repeat(3), { sessionId: id, expiresAt: Date.now() + 1e6 })]) {
    const response = await server.request('/api/session', { token: bad });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  }
  expect((await server.request('/api/session', { method: 'DELETE', token })).status).toBe(204);
  expect((await server.request('/api/session', { token })).status).toBe(401);
  expect((await server.request('/api/documents', { token })).status).toBe(401);
});

test('expired tokens are rejected', () => {
  const secret = 's'.repeat(32);
  const token = signToken(secret, { sessionId: 'abc', expiresAt: 1000 });
  expect(verifyToken(secret, token, 999)).toEqual({ sessionId: 'abc', expiresAt: 1000 });
  expect(verifyToken(secret, token, 1000)).toBeNull();
});

test('sessions survive a restart (the generated secret is kept in the data directory)', async () => {
  const { token, user } = await server.signIn('Ada');
  const dataDir = server.dataDir;
  await server.close({ keepData: true });
  server = await startTestServer({ dataDir });
  expect(await (await server.request('/api/session', { token })).json()).toEqual({ user });
});

test('session creation is rate limited per client with Retry-After', async () => {
  const limited = await startTestServer({ env: { SESSIONS_PER_MINUTE_PER_IP: '3' } });
  try {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 5; i++) {
      const response = await limited.request('/api/session', { method: 'POST', json: { name: `u${i}` } });
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get('retry-after');
    }
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  } finally {
    await limited.close();
  }
});
