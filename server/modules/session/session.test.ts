/** Signing in with email and password, sessions, signing out and expiry, as a client sees them. */
import { afterEach, beforeEach, expect, test } from 'bun:test';
import { Database } from 'bun:sqlite';
import http from 'node:http';
import { join } from 'node:path';
import { closeCodes, connectClient, startTestServer, synced, TEST_PASSWORD, waitFor, type TestServer } from '../../test-support/harness.ts';
import { signToken, verifyToken } from './token.ts';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server?.close());

const signIn = (s: TestServer, email: string, password: string) => s.request('/api/session', { method: 'POST', json: { email, password } });

/** POST /api/session from a given loopback address (the server sees it as the client's address). */
function signInFrom(address: string, email: string, password: string): Promise<{ status: number; retryAfter: string | null }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: hostname, port, path: '/api/session', method: 'POST', localAddress: address, headers: { 'content-type': 'application/json' } },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0, retryAfter: (response.headers['retry-after'] as string | undefined) ?? null }));
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify({ email, password }));
  });
}

test('signing in with email and password answers the user, a token and an HttpOnly, SameSite=Lax cookie', async () => {
  const { user, email } = await server.signIn('Ada');
  const response = await signIn(server, `  ${email.toUpperCase()} `, TEST_PASSWORD);
  expect(response.status).toBe(201);
  const cookie = response.headers.get('set-cookie')!;
  expect(cookie).toMatch(/^quire_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
  const body = await response.json();
  expect(body.user).toEqual(user);
  expect(user).toEqual({ id: expect.any(String), name: 'Ada', email, color: expect.stringMatching(/^#[0-9a-f]{6}$/), role: 'admin' });
  expect(JSON.stringify(body)).not.toContain('argon2');
  expect(await (await server.request('/api/session', { token: body.token })).json()).toEqual({ user });
  const viaCookie = await fetch(`${server.url}/api/session`, { headers: { cookie: cookie.split(';')[0]! } });
  expect(await viaCookie.json()).toEqual({ user });
});

test('the cookie is Secure when PUBLIC_URL is https', async () => {
  const behindTls = await startTestServer({ env: { PUBLIC_URL: 'https://docs.example.com' } });
  try {
    const created = await behindTls.request('/api/accounts', { method: 'POST', json: { email: 'ada@example.com', name: 'Ada', password: TEST_PASSWORD } });
    expect(created.headers.get('set-cookie')).toMatch(/; Secure$/);
    expect((await signIn(behindTls, 'ada@example.com', TEST_PASSWORD)).headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Lax; Max-Age=\d+; Secure$/);
  } finally {
    await behindTls.close();
  }
});

test('an unknown email and a wrong password are indistinguishable: same status, same body, same work', async () => {
  // Real argon2id cost here, so the time of a verification shows.
  const real = await startTestServer({ env: { PASSWORD_HASH_COST: 'default', SESSIONS_PER_MINUTE_PER_IP: '1000' } });
  try {
    await real.request('/api/accounts', { method: 'POST', json: { email: 'ada@example.com', name: 'Ada', password: TEST_PASSWORD } });
    const attempt = async (email: string) => {
      const started = performance.now();
      const response = await signIn(real, email, 'not the password');
      return { status: response.status, body: await response.text(), authenticate: response.headers.get('www-authenticate'), ms: performance.now() - started };
    };
    const wrong: Awaited<ReturnType<typeof attempt>>[] = [];
    const unknown: Awaited<ReturnType<typeof attempt>>[] = [];
    for (let i = 0; i < 3; i++) {
      wrong.push(await attempt('ada@example.com'));
      unknown.push(await attempt(`nobody${i}@example.com`));
    }
    const strip = ({ ms: _, ...rest }: (typeof wrong)[number]) => rest;
    expect(new Set([...wrong, ...unknown].map((a) => JSON.stringify(strip(a)))).size).toBe(1);
    expect(wrong[0]!.status).toBe(401);
    expect(JSON.parse(wrong[0]!.body).detail).toBe('Wrong email or password.');
    const median = (list: { ms: number }[]) => list.map((a) => a.ms).sort((a, b) => a - b)[1]!;
    // Both verify one argon2id hash: an unknown email takes no shortcut.
    expect(median(unknown)).toBeGreaterThan(median(wrong) * 0.4);
    expect(median(wrong)).toBeGreaterThan(median(unknown) * 0.4);
  } finally {
    await real.close();
  }
}, 30_000);

test('the name-only sign-in is gone: POST /api/session with a name is refused', async () => {
  for (const json of [{ name: 'Ada' }, {}, { email: 'ada@example.com' }, { email: 'ada@example.com', password: TEST_PASSWORD, name: 'Ada' }]) {
    expect((await server.request('/api/session', { method: 'POST', json })).status).toBe(422);
  }
});

test('after 5 failures in a minute for one account from one address: 429 with Retry-After; other addresses and accounts carry on', async () => {
  const ada = await server.signIn('Ada');
  const bob = await server.signIn('Bob');
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) statuses.push((await signInFrom('127.0.0.2', ada.email, 'wrong password!')).status);
  expect(statuses).toEqual([401, 401, 401, 401, 401]);
  // Even the right password waits now, so guessing on cannot tell right from wrong.
  const throttled = await signInFrom('127.0.0.2', ada.email, TEST_PASSWORD);
  expect(throttled.status).toBe(429);
  expect(Number(throttled.retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(throttled.retryAfter)).toBeLessThanOrEqual(60);
  // Nobody locks Ada out: from her own address she signs in; Bob is not affected from the attacker's.
  expect((await signInFrom('127.0.0.3', ada.email, TEST_PASSWORD)).status).toBe(201);
  expect((await signInFrom('127.0.0.2', bob.email, TEST_PASSWORD)).status).toBe(201);
  // Unknown emails are throttled the same way: nothing tells them apart.
  for (let i = 0; i < 5; i++) await signInFrom('127.0.0.4', 'nobody@example.com', 'wrong password!');
  expect((await signInFrom('127.0.0.4', 'nobody@example.com', 'wrong password!')).status).toBe(429);
});

test('signing out ends the token, clears the cookie, and closes that session\'s sync socket (4401) and stream; other sessions stay', async () => {
  const ada = await server.signIn('Ada');
  const other = (await (await signIn(server, ada.email, TEST_PASSWORD)).json()).token as string;
  const { id } = await server.createDocument(ada.token);
  const [mine, theirs] = [connectClient(server.wsUrl, id, ada.token), connectClient(server.wsUrl, id, other)];
  try {
    const [mineCloses, theirCloses] = [closeCodes(mine), closeCodes(theirs)];
    await Promise.all([synced(mine), synced(theirs)]);
    const stream = await fetch(`${server.url}/api/activity/stream`, { headers: { authorization: `Bearer ${ada.token}` } });
    const reader = stream.body!.getReader();
    await reader.read(); // the retry hint: the stream is open
    const ended = (async () => {
      while (!(await reader.read()).done);
      return true;
    })();

    const out = await server.request('/api/session', { method: 'DELETE', token: ada.token });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^quire_session=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0$/);
    await waitFor(() => mineCloses.includes(4401), 1000, 'the signed-out socket to close');
    expect(await ended).toBe(true);
    expect((await server.request('/api/session', { token: ada.token })).status).toBe(401);
    expect((await server.request('/api/documents', { token: ada.token })).status).toBe(401);
    expect(theirCloses).toEqual([]);
    expect(theirs.provider.wsconnected).toBe(true);
    expect((await server.request('/api/session', { token: other })).status).toBe(200);
  } finally {
    mine.destroy();
    theirs.destroy();
  }
});

test('expired sessions are purged while the server runs and when it starts', async () => {
  const ada = await server.signIn('Ada');
  const { store, sessions } = server.server.services;
  const count = () => {
    const db = new Database(join(server.dataDir, 'quire.sqlite'), { readonly: true });
    try {
      return (db.query('SELECT COUNT(*) AS n FROM sessions').get() as { n: number }).n;
    } finally {
      db.close();
    }
  };
  await store.accounts.createSession({ id: 'expired-1', userId: ada.user.id, expiresAt: Date.now() - 1000 });
  await store.accounts.createSession({ id: 'expired-2', userId: ada.user.id, expiresAt: Date.now() - 1 });
  expect(count()).toBe(3);
  expect(await sessions.purgeExpired()).toBe(2);
  expect(count()).toBe(1);

  await store.accounts.createSession({ id: 'expired-3', userId: ada.user.id, expiresAt: Date.now() - 1 });
  const dataDir = server.dataDir;
  await server.close({ keepData: true });
  server = await startTestServer({ dataDir });
  expect(count()).toBe(1);
  expect((await server.request('/api/session', { token: ada.token })).status).toBe(200);
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

test('sign-ins and account creations are rate limited per client with Retry-After', async () => {
  const limited = await startTestServer({ env: { SESSIONS_PER_MINUTE_PER_IP: '3' } });
  try {
    const ada = await limited.signIn('Ada');
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 4; i++) {
      const response = await signIn(limited, ada.email, TEST_PASSWORD);
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get('retry-after');
    }
    expect(statuses).toEqual([201, 201, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    const account = await limited.request('/api/accounts', { method: 'POST', json: { email: 'bob@example.com', name: 'Bob', password: TEST_PASSWORD } });
    expect(account.status).toBe(429);
  } finally {
    await limited.close();
  }
});
