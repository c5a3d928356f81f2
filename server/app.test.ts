/** The app's own routes: health, the OpenAPI reference, the client fallback, unknown API paths. */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, tempDir, type TestServer } from './test-support/harness.ts';

let server: TestServer;
const clientDir = tempDir('quire-client-');

beforeAll(async () => {
  mkdirSync(join(clientDir.path, 'assets'));
  writeFileSync(join(clientDir.path, 'index.html'), '<!doctype html><title>Quire</title>');
  writeFileSync(join(clientDir.path, 'assets', 'app.js'), 'console.log(1)');
  server = await startTestServer({ env: { CLIENT_DIR: clientDir.path } });
});
afterAll(async () => {
  await server.close();
  clientDir.cleanup();
}, 30_000);

test('healthz answers ok while storage works', async () => {
  const response = await server.request('/healthz');
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok' });
});

test('the OpenAPI document describes the API routes and the reference page is served', async () => {
  const spec = await (await server.request('/openapi/json')).json();
  expect(spec.info.title).toBe('Quire API');
  const paths = [
    '/api/session',
    '/api/accounts',
    '/api/auth/config',
    '/api/users',
    '/api/users/me',
    '/api/users/me/password',
    '/api/users/{id}',
    '/api/invites',
    '/api/invites/{code}',
    '/api/documents',
    '/api/documents/{id}',
    '/api/documents/{id}/content',
    '/api/activity',
    '/api/activity/stream',
  ];
  for (const path of paths) {
    expect(Object.keys(spec.paths)).toContain(path);
  }
  expect(spec.paths['/api/documents'].post.requestBody).toBeDefined();
  expect(spec.paths['/api/auth/config'].get.responses['200']).toBeDefined();
  const page = await server.request('/openapi');
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toContain('text/html');
});

test('the API reference page loads its script and stylesheet from this server, so it works offline', async () => {
  const html = await (await server.request('/openapi')).text();
  const references = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
  expect(references.length).toBeGreaterThanOrEqual(2);
  for (const reference of references) {
    expect(reference.startsWith('/')).toBe(true);
    const asset = await server.request(reference);
    expect(asset.status).toBe(200);
    expect((await asset.text()).length).toBeGreaterThan(10_000);
  }
  expect(html).toContain('SwaggerUIBundle(');
  expect((await server.request('/openapi/assets/package.json')).status).toBe(404);
});

test('deep links load the client; assets are served with long caching', async () => {
  for (const path of ['/', '/d/some-document', '/activity']) {
    const response = await server.request(path);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Quire</title>');
  }
  const asset = await server.request('/assets/app.js');
  expect(await asset.text()).toBe('console.log(1)');
  expect(asset.headers.get('cache-control')).toContain('immutable');
  expect((await server.request('/assets/../../etc/passwd')).status).not.toBe(500);
});

test('unknown API paths are problem+json 404s, not the client page', async () => {
  const response = await server.request('/api/nope');
  expect(response.status).toBe(404);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
});

test('bad percent-encodings anywhere in the path are 400 or 404 problems, never a 500', async () => {
  for (const path of ['/%', '/%E0%A4%A', '/d/%', '/api/%', '/api/documents/%E0%A4%A', `/api/documents/%E0%A4%A/content`, '/assets/%ZZ']) {
    const response = await server.request(path);
    expect([400, 401, 404]).toContain(response.status);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  }
});
