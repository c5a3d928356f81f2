/**
 * The README's nginx configuration, tested: Debian's nginx (TLS, HTTP/2) in front of two Quire
 * instances over PostgreSQL and Redis. Through it stock clients co-edit across the instances,
 * activity arrives as it happens, bodies up to MAX_BODY_BYTES pass (uploads and imports up to their
 * own limits), and ten tabs' worth of requests and event streams share one HTTP/2 connection.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAccount } from '../test-support/child-server.ts';
import { documentText, synced, typeParagraph, waitFor, type Client } from '../test-support/harness.ts';
import { fileForm, pngImage } from '../test-support/images.ts';
import { metricValue } from '../test-support/metrics-text.ts';
import { http2EventStream, startProxiedCluster, type ProxiedCluster } from '../test-support/proxied-cluster.ts';
import { README_EXAMPLE, renderNginx } from './nginx-config.ts';

let cluster: ProxiedCluster;
const clients: Client[] = [];
beforeAll(async () => {
  cluster = await startProxiedCluster();
}, 60_000);
afterAll(async () => {
  for (const client of clients) client.destroy();
  await cluster?.close();
}, 30_000);

function connect(documentId: string, token: string): Client {
  const client = cluster.connect(documentId, token);
  clients.push(client);
  return client;
}

async function createDocument(token: string, body: unknown = { title: 'Proxied' }): Promise<{ id: string }> {
  const response = await cluster.fetch('/api/documents', { method: 'POST', token, json: body });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string };
}

/** Accounts are made on an instance directly (the tokens work on both: one SESSION_SECRET). */
const signUp = (name: string) => createAccount(cluster.instances[0]!.child.url, name);

const scrape = async (port: number) => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();

test('the README shows exactly the template, rendered with its example values', () => {
  const readme = readFileSync(join(import.meta.dir, '..', '..', 'README.md'), 'utf8');
  const block = /<!-- nginx: rendered from deploy\/nginx\.conf\.template -->\n```nginx\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block).toBe(renderNginx(README_EXAMPLE));
});

test('stock clients on different instances co-edit through the proxy; the activity stream is not buffered', async () => {
  const { token } = await signUp('Ada');
  const { id } = await createDocument(token);
  const [a, b] = [connect(id, token), connect(id, token)];
  await Promise.all([synced(a), synced(b)]);
  // nginx takes turns: one connection on each instance, so every edit crossed Redis.
  const perInstance = await Promise.all(cluster.instances.map(async ({ port }) => metricValue(await scrape(port), 'quire_sync_connections')));
  expect(perInstance).toEqual([1, 1]);
  typeParagraph(a.doc, 'from a;');
  typeParagraph(b.doc, 'from b;');
  await waitFor(() => [a, b].every((client) => documentText(client.doc).includes('from a;') && documentText(client.doc).includes('from b;')), 10_000, 'both edits on both clients');

  const session = cluster.http2();
  try {
    const stream = http2EventStream(session, `/api/activity/stream?documentId=${id}`, token);
    expect(await stream.status).toBe(200);
    const renamedAt = performance.now();
    expect((await cluster.fetch(`/api/documents/${id}`, { method: 'PATCH', token, json: { title: 'Renamed through the proxy' } })).status).toBe(200);
    await waitFor(() => stream.events.some((event) => event.event === 'document.renamed'), 5000, 'the rename event through the proxy');
    // A buffering proxy would hold a small event until its buffer filled or the next heartbeat (15 s).
    expect(performance.now() - renamedAt).toBeLessThan(2000);
    stream.close();
  } finally {
    session.close();
  }
}, 30_000);

test('a body just under MAX_BODY_BYTES passes the proxy; one over it is refused with 413', async () => {
  const { token } = await signUp('Bulk');
  const paragraph = (i: number) => ({ type: 'paragraph', content: [{ type: 'text', text: `${i} ${'x'.repeat(900)}` }] });
  const body = (count: number) => ({ title: 'Large', content: { type: 'doc', content: Array.from({ length: count }, (_, i) => paragraph(i)) } });
  const under = JSON.stringify(body(1000));
  const over = JSON.stringify(body(1200));
  expect(under.length).toBeGreaterThan(950_000);
  expect(under.length).toBeLessThan(1024 * 1024);
  expect(over.length).toBeGreaterThan(1024 * 1024);
  const created = await cluster.fetch('/api/documents', { method: 'POST', token, body: under, headers: { 'content-type': 'application/json' } });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const text = await (await cluster.fetch(`/api/documents/${id}/content?format=text`, { token })).text();
  expect(text).toContain(`999 ${'x'.repeat(900)}`);
  const refused = await cluster.fetch('/api/documents', { method: 'POST', token, body: over, headers: { 'content-type': 'application/json' } });
  expect(refused.status).toBe(413);
}, 30_000);

test('uploads and imports pass under their own limits (a 9 MiB image, a 3 MiB Markdown file); past them, Quire answers 413', async () => {
  const { token } = await signUp('Uploader');
  const { id } = await createDocument(token, { title: 'With a large image' });
  const MiB = 1024 * 1024;
  const upload = (png: Uint8Array) => cluster.fetch(`/api/documents/${id}/attachments`, { method: 'POST', token, body: fileForm(png, 'large.png') });
  const image = pngImage(1800, 1750, [20, 90, 160], { uncompressed: true });
  expect(image.byteLength).toBeGreaterThan(9 * MiB);
  const uploaded = await upload(image);
  expect(uploaded.status).toBe(201);
  const { url } = (await uploaded.json()) as { url: string };
  const served = await cluster.fetch(url, { token });
  expect(Buffer.compare(Buffer.from(await served.arrayBuffer()), image)).toBe(0);
  const tooLarge = await upload(pngImage(1900, 1900, [20, 90, 160], { uncompressed: true }));
  expect(tooLarge.status).toBe(413);
  // Quire's own problem, not nginx's page: the proxy let the body through to it.
  expect(tooLarge.headers.get('content-type')).toStartWith('application/problem+json');

  const importFile = (paragraphs: number) => {
    const markdown = `# Imported through the proxy\n\n${Array.from({ length: paragraphs }, (_, i) => `Paragraph ${i} ${'word '.repeat(200)}`).join('\n\n')}\n`;
    return fileForm(new TextEncoder().encode(markdown), 'Proxied import.md', 'text/markdown');
  };
  const imported = await cluster.fetch('/api/documents/import', { method: 'POST', token, body: importFile(3300) });
  expect(imported.status).toBe(201);
  const document = (await imported.json()) as { id: string; title: string };
  expect(document.title).toBe('Proxied import');
  const text = await (await cluster.fetch(`/api/documents/${document.id}/content?format=text`, { token })).text();
  expect(text.length).toBeGreaterThan(3 * MiB);
  expect(text).toStartWith('Imported through the proxy');
  expect(text).toContain('Paragraph 3299 word');
  const importTooLarge = await cluster.fetch('/api/documents/import', { method: 'POST', token, body: importFile(21_000) });
  expect(importTooLarge.status).toBe(413);
  expect(importTooLarge.headers.get('content-type')).toStartWith('application/problem+json');
}, 60_000);

test('ten tabs over one HTTP/2 connection: each lists documents, follows activity and co-edits', async () => {
  const TABS = 10;
  const { token: owner } = await signUp('Tabs');
  const { id } = await createDocument(owner, { title: 'Ten tabs' });
  // A session per tab keeps within MAX_STREAMS_PER_SESSION (8) while all ten stream at once.
  const tokens = [owner];
  for (let i = 1; i < TABS; i++) tokens.push((await signUp(`Tab ${i}`)).token);
  const session = cluster.http2();
  try {
    await new Promise<void>((resolve, reject) => session.once('connect', () => resolve()).once('error', reject));
    expect(session.alpnProtocol).toBe('h2');
    const streams = tokens.map((token) => http2EventStream(session, `/api/activity/stream?documentId=${id}`, token));
    expect(await Promise.all(streams.map((stream) => stream.status))).toEqual(tokens.map(() => 200));
    const lists = await Promise.all(
      tokens.map(
        (token) =>
          new Promise<number>((resolve) => {
            const request = session.request({ ':path': '/api/documents?limit=5', authorization: `Bearer ${token}` });
            request.on('response', (headers) => resolve(Number(headers[':status'])));
            request.resume();
          }),
      ),
    );
    expect(lists).toEqual(tokens.map(() => 200));

    const editors = tokens.map((token) => connect(id, token));
    await Promise.all(editors.map((editor) => synced(editor)));
    editors.forEach((editor, i) => typeParagraph(editor.doc, `tab ${i};`));
    await waitFor(() => editors.every((editor) => editors.every((_, i) => documentText(editor.doc).includes(`tab ${i};`))), 15_000, 'every tab to see every tab');
    expect((await cluster.fetch(`/api/documents/${id}`, { method: 'PATCH', token: owner, json: { title: 'Seen by ten' } })).status).toBe(200);
    await waitFor(() => streams.every((stream) => stream.events.some((event) => event.event === 'document.renamed')), 10_000, 'every tab to hear the rename');
    for (const stream of streams) stream.close();
  } finally {
    session.close();
  }
}, 60_000);
