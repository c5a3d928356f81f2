/** The client's files are sent pre-compressed when the browser accepts it, typed and cached as the original. */
import { afterAll, expect, test } from 'bun:test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { clientRoutes } from './static.ts';

const dir = mkdtempSync(join(tmpdir(), 'quire-static-'));
const script = 'export const greeting = "hello, hello, hello";\n'.repeat(50);
mkdirSync(join(dir, 'assets'));
writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Quire</title>');
writeFileSync(join(dir, 'index.html.gz'), gzipSync('<!doctype html><title>Quire</title>'));
writeFileSync(join(dir, 'assets', 'app.js'), script);
writeFileSync(join(dir, 'assets', 'app.js.br'), brotliCompressSync(script));
writeFileSync(join(dir, 'assets', 'app.js.gz'), gzipSync(script));
writeFileSync(join(dir, 'assets', 'plain.js'), script);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const app = clientRoutes(dir);
const get = (path: string, acceptEncoding?: string) =>
  app.handle(new Request(`http://localhost${path}`, { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} }));

test('a browser that accepts brotli gets the .br file, typed and cached as the script', async () => {
  const response = await get('/assets/app.js', 'gzip, deflate, br, zstd');
  const body = new Uint8Array(await response.arrayBuffer());
  expect(response.headers.get('content-encoding')).toBe('br');
  expect(response.headers.get('content-type')).toStartWith('text/javascript');
  expect(response.headers.get('vary')).toBe('Accept-Encoding');
  expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  expect(Number(response.headers.get('content-length'))).toBe(body.length);
  expect(brotliDecompressSync(body).toString()).toBe(script);
});

test('gzip when brotli is refused, the file as it is when nothing is accepted', async () => {
  const gzip = await get('/assets/app.js', 'br;q=0, gzip;q=0.5');
  expect(gzip.headers.get('content-encoding')).toBe('gzip');
  expect(gunzipSync(new Uint8Array(await gzip.arrayBuffer())).toString()).toBe(script);
  for (const header of [undefined, 'identity', 'br;q=0, gzip;q=0']) {
    const plain = await get('/assets/app.js', header);
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('vary')).toBe('Accept-Encoding');
    expect(await plain.text()).toBe(script);
  }
});

test('a file built without variants is sent as it is, with no Vary', async () => {
  const response = await get('/assets/plain.js', 'br, gzip');
  expect(response.headers.get('content-encoding')).toBeNull();
  expect(response.headers.get('vary')).toBeNull();
  expect(await response.text()).toBe(script);
});

test('deep links get the page compressed too, as HTML and never cached', async () => {
  const response = await get('/d/some-document', 'gzip');
  expect(response.headers.get('content-encoding')).toBe('gzip');
  expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(response.headers.get('cache-control')).toBe('no-cache');
  expect(gunzipSync(new Uint8Array(await response.arrayBuffer())).toString()).toContain('<title>Quire</title>');
});
