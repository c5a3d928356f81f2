/** Every response, pages, assets, API answers and early refusals alike, carries the security headers. */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, tempDir, type TestServer } from '../test-support/harness.ts';

let server: TestServer;
let token: string;
const clientDir = tempDir('quire-client-');
beforeAll(async () => {
  mkdirSync(join(clientDir.path, 'assets'));
  writeFileSync(join(clientDir.path, 'index.html'), '<!doctype html><title>Quire</title>');
  writeFileSync(join(clientDir.path, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(clientDir.path, 'assets', 'app.js.map'), '{"version":3}');
  server = await startTestServer({ env: { CLIENT_DIR: clientDir.path, MAX_BODY_BYTES: '4096' } });
  token = (await server.signIn('Ada')).token;
});
afterAll(async () => {
  await server.close();
  clientDir.cleanup();
}, 30_000);

function expectHardened(response: Response, what: string): void {
  const headers = Object.fromEntries(['content-security-policy', 'x-frame-options', 'x-content-type-options', 'referrer-policy'].map((name) => [name, response.headers.get(name)]));
  expect({ what, ...headers }).toMatchObject({
    what,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
  });
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(headers['content-security-policy']).toMatch(/script-src 'self'/);
}

test('pages, assets, API answers, errors and early refusals carry the security headers', async () => {
  const port = new URL(server.url).port;
  const cases: [string, Promise<Response>][] = [
    ['the app page', server.request('/d/some-document')],
    ['an asset', server.request('/assets/app.js')],
    ['an API answer', server.request('/api/documents', { token })],
    ['a 401', server.request('/api/documents')],
    ['a 404', server.request('/api/nothing', { token })],
    ['a 413 before routing', server.request('/api/documents', { method: 'POST', token, json: { title: 'x'.repeat(5000) } })],
    ['a 421 for a foreign Host', server.request('/api/documents', { token, headers: { host: `evil.test:${port}` } })],
    ['health', server.request('/healthz')],
    ['the API reference', server.request('/openapi')],
  ];
  for (const [what, pending] of cases) expectHardened(await pending, what);
});

test("the app's policy allows no inline script; only the API reference page's own starter", async () => {
  const app = (await server.request('/')).headers.get('content-security-policy') ?? '';
  expect(app).not.toContain("'unsafe-inline' 'self'");
  expect(app).toMatch(/script-src 'self'(;|$)/);
  const reference = (await server.request('/openapi')).headers.get('content-security-policy') ?? '';
  expect(reference).toContain("script-src 'self' 'unsafe-inline'");
});

test('source maps are not served', async () => {
  const response = await server.request('/assets/app.js.map');
  expect(response.status).toBe(404);
});
