/** Identity in the wrong hands or the wrong place: nobody gets in who should not. */
import { afterEach, beforeEach, expect, test } from 'bun:test';
import { startTestServer, type TestServer } from '../../test-support/harness.ts';
import { upgradeStatus } from '../../test-support/raw-socket.ts';
import { SessionService } from './service.ts';
import { signToken } from './token.ts';

let server: TestServer;
let token: string;
let documentId: string;
beforeEach(async () => {
  server = await startTestServer();
  token = (await server.signIn('Ada')).token;
  documentId = (await server.createDocument(token)).id;
});
afterEach(() => server.close());

const sync = () => `${server.url}/sync/${documentId}`;

test('forged, tampered and expired tokens are refused on REST and on the sync upgrade', async () => {
  const [sessionId, expiry, signature] = token.split('.') as [string, string, string];
  const expired = new SessionService(server.server.services.store, 'x'.repeat(32), 1);
  const bad = [
    `${sessionId}.${expiry}.${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`,
    `${sessionId}.${(Number.parseInt(expiry, 36) + 1).toString(36)}.${signature}`,
    signToken('f'.repeat(32), { sessionId, expiresAt: Date.now() + 1e6 }),
    signToken('f'.repeat(32), { sessionId: 'no-such-session', expiresAt: Date.now() + 1e6 }),
    `${sessionId}.${expiry}`,
    '',
  ];
  expect(await expired.authenticate(signToken('x'.repeat(32), { sessionId, expiresAt: Date.now() - 1 }))).toBeNull();
  for (const forged of bad) {
    expect((await server.request('/api/documents', { token: forged })).status).toBe(401);
    expect((await upgradeStatus(`${sync()}?token=${encodeURIComponent(forged)}`)).status).toBe(401);
  }
});

test('a query token does not authenticate REST; Bearer and cookie do', async () => {
  expect((await fetch(`${server.url}/api/session?token=${token}`)).status).toBe(401);
  expect((await fetch(`${server.url}/api/documents?token=${token}`)).status).not.toBe(200);
  expect((await server.request('/api/documents', { token })).status).toBe(200);
  expect((await fetch(`${server.url}/api/documents`, { headers: { cookie: `quire_session=${token}` } })).status).toBe(200);
  expect((await fetch(`${server.url}/api/documents`, { headers: { authorization: `Basic ${token}` } })).status).toBe(401);
});

test('the sync upgrade accepts the query token, a Bearer header and the cookie', async () => {
  expect((await upgradeStatus(`${sync()}?token=${token}`)).status).toBe(101);
  expect((await upgradeStatus(sync(), { authorization: `Bearer ${token}` })).status).toBe(101);
  expect((await upgradeStatus(sync(), { cookie: `quire_session=${token}` })).status).toBe(101);
  expect((await upgradeStatus(sync())).status).toBe(401);
});

test('a foreign Origin cannot open a sync socket unless ALLOWED_ORIGINS allows it', async () => {
  const host = new URL(server.url).host;
  const foreign = await upgradeStatus(`${sync()}?token=${token}`, { origin: 'https://evil.example' });
  expect(foreign.status).toBe(403);
  expect(foreign.headers.get('content-type')).toContain('application/problem+json');
  expect((await upgradeStatus(`${sync()}?token=${token}`, { origin: `http://${host}` })).status).toBe(101);
  expect((await upgradeStatus(`${sync()}?token=${token}`, { origin: 'null' })).status).toBe(403);
  const dataDir = server.dataDir;
  await server.close({ keepData: true });
  server = await startTestServer({ dataDir, env: { ALLOWED_ORIGINS: 'https://editor.example' } });
  expect((await upgradeStatus(`${sync()}?token=${token}`, { origin: 'https://editor.example' })).status).toBe(101);
  expect((await upgradeStatus(`${sync()}?token=${token}`, { origin: 'https://evil.example' })).status).toBe(403);
  expect((await upgradeStatus(`${sync()}?token=${token}`, { origin: `http://${new URL(server.url).host}` })).status).toBe(403);
});
