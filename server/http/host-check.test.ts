/** DNS rebinding: a request whose Host is not this server's is refused before anything runs. */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { startTestServer, type TestServer } from '../test-support/harness.ts';
import { hostAllowed, hostName, hostPolicy } from './host-check.ts';

let server: TestServer;
let token: string;
let documentId: string;
beforeAll(async () => {
  server = await startTestServer();
  token = (await server.signIn('Ada')).token;
  documentId = (await server.createDocument(token)).id;
});
afterAll(() => server.close());

const REBOUND = 'rebind.attacker.test';

test('with a foreign Host, sign-in, listing, deleting and the sync upgrade are all 421', async () => {
  const port = new URL(server.url).port;
  const host = `${REBOUND}:${port}`;
  const attempts = [
    server.request('/api/session', { method: 'POST', json: { email: 'mallory@example.com', password: 'correct horse battery' }, headers: { host } }),
    server.request('/api/documents', { token, headers: { host } }),
    server.request(`/api/documents/${documentId}`, { method: 'DELETE', token, headers: { host } }),
    server.request(`/sync/${documentId}`, { token, headers: { host, connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' } }),
  ];
  for (const response of await Promise.all(attempts)) {
    expect(response.status).toBe(421);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(((await response.json()) as { detail: string }).detail).toContain(REBOUND);
  }
  // Nothing happened: the document is still there for its real user.
  expect((await server.request(`/api/documents/${documentId}`, { token })).status).toBe(200);
});

test('localhost names and loopback addresses work by default, with any port', async () => {
  const port = new URL(server.url).port;
  for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `app.localhost:${port}`, 'localhost']) {
    const response = await server.request('/healthz', { headers: { host } });
    expect(`${host} ${response.status}`).toBe(`${host} 200`);
  }
});

test('ALLOWED_HOSTS replaces the defaults, PUBLIC_URL adds its host, * allows any', () => {
  const configured = hostPolicy(['docs.example.com', '.corp.example'], 'https://quire.example.org');
  expect(hostAllowed(configured, 'docs.example.com')).toBe(true);
  expect(hostAllowed(configured, 'DOCS.example.com:443')).toBe(true);
  expect(hostAllowed(configured, 'team.corp.example')).toBe(true);
  expect(hostAllowed(configured, 'quire.example.org')).toBe(true);
  expect(hostAllowed(configured, '127.0.0.1')).toBe(false);
  expect(hostAllowed(configured, 'docs.example.com.attacker.test')).toBe(false);
  expect(hostAllowed(configured, null)).toBe(false);
  expect(hostAllowed(hostPolicy(['*'], null), REBOUND)).toBe(true);
  expect(hostName('[::1]:3000')).toBe('::1');
  expect(hostName('Example.COM:8080')).toBe('example.com');
});
