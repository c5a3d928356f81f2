/**
 * `npm run export` from one server and `npm run import` into another: every document arrives
 * with its title and the same content (JSON and Markdown), typed text included; the archive
 * holds each document as Markdown a person can read, and every image the documents show, which
 * arrive as attachments of the new documents.
 */
import { afterEach, expect, test } from 'bun:test';
import { join } from 'node:path';
import { connectClient, startTestServer, synced, tempDir, typeParagraph, waitFor, type TestServer } from '../test-support/harness.ts';
import { runScript } from '../test-support/scripts.ts';
import { readFileSync } from 'node:fs';
import type { JSONContent } from '@tiptap/core';
import * as tar from 'tar';
import { fileForm, pngImage } from '../test-support/images.ts';
import { readExport } from './portable.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const RICH = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Plan' }] },
    { type: 'paragraph', content: [{ type: 'text', text: 'Ship it ' }, { type: 'text', marks: [{ type: 'bold' }], text: 'soon' }] },
    { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'one' }] }] }] },
  ],
};

async function content(server: TestServer, token: string, id: string, format: 'json' | 'markdown'): Promise<string> {
  const response = await server.request(`/api/documents/${id}/content?format=${format}`, { token });
  expect(response.status).toBe(200);
  return response.text();
}

test('export every document to one archive (Markdown and JSON), import it into another server', async () => {
  const [source, target] = [await startTestServer(), await startTestServer()];
  const files = tempDir('quire-export-test-');
  cleanups.push(() => source.close(), () => target.close(), () => files.cleanup());
  const ada = await source.signIn('Ada');
  const rich = await source.createDocument(ada.token, { title: 'Rich: "quotes" & ünïcode', content: RICH });
  const typed = await source.createDocument(ada.token, { title: 'Typed' });
  const empty = await source.createDocument(ada.token, { title: 'Empty' });
  const png = pngImage(6, 4, [250, 180, 0]);
  const pictured = (await (
    await source.request('/api/documents/import', {
      method: 'POST',
      token: ada.token,
      body: fileForm(new TextEncoder().encode(JSON.stringify({ title: 'Pictures', content: { type: 'doc', content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'The chart:' }] },
        { type: 'image', attrs: { src: `data:image/png;base64,${Buffer.from(png).toString('base64')}`, alt: 'sales' } },
      ] } })), 'pictures.json'),
    })
  ).json()) as { id: string; title: string };
  const imageOf = async (server: TestServer, token: string, id: string) => {
    const json = JSON.parse(await content(server, token, id, 'json')) as JSONContent;
    const image = json.content!.find((node) => node.type === 'image')!;
    const served = await server.request(String(image.attrs!.src), { token });
    expect(served.status).toBe(200);
    return { json, src: String(image.attrs!.src), bytes: new Uint8Array(await served.arrayBuffer()) };
  };
  const sourceImage = await imageOf(source, ada.token, pictured.id);
  expect<Uint8Array>(sourceImage.bytes).toEqual(png);
  const client = connectClient(source.wsUrl, typed.id, ada.token);
  cleanups.push(() => client.destroy());
  await synced(client);
  typeParagraph(client.doc, 'typed live, saved before the export');
  await waitFor(async () => (await content(source, ada.token, typed.id, 'markdown')).includes('typed live'), 5000, 'the typed text to be stored');

  const archive = join(files.path, 'quire-export.tar.gz');
  const exported = await runScript('scripts/export.ts', ['--url', source.url, '--out', archive], { QUIRE_TOKEN: ada.token });
  expect(exported).toMatchObject({ code: 0, stdout: 'exported 4 documents to ' + archive + '\n' });
  const { manifest, contents, attachments } = await readExport(archive);
  expect(manifest.documents.map((entry) => entry.title).sort()).toEqual(['Empty', 'Pictures', 'Rich: "quotes" & ünïcode', 'Typed']);
  expect(contents.get(rich.id)).toEqual(JSON.parse(await content(source, ada.token, rich.id, 'json')));
  const originalId = sourceImage.src.split('/').pop()!;
  expect([...attachments.keys()]).toEqual([originalId]);
  expect(attachments.get(originalId)).toEqual(png);
  const unpacked = tempDir('quire-export-unpacked-');
  cleanups.push(() => unpacked.cleanup());
  await tar.extract({ file: archive, cwd: unpacked.path });
  const readable = readFileSync(join(unpacked.path, 'quire-export', 'documents', `${pictured.id}.md`), 'utf8');
  expect(readable).toContain(`![sales](../attachments/${originalId}.png)`);
  expect<Uint8Array>(new Uint8Array(readFileSync(join(unpacked.path, 'quire-export', 'attachments', `${originalId}.png`)))).toEqual(png);

  const bob = await target.signIn('Bob');
  const imported = await runScript('scripts/import.ts', ['--url', target.url, archive], { QUIRE_TOKEN: bob.token });
  expect(imported).toMatchObject({ code: 0, stdout: 'imported 4 documents\n' });
  const list = (await (await target.request('/api/documents', { token: bob.token })).json()) as { items: { id: string; title: string }[] };
  expect(list.items).toHaveLength(4);
  const copied = await imageOf(target, bob.token, list.items.find((item) => item.title === 'Pictures')!.id);
  expect<Uint8Array>(copied.bytes).toEqual(png);
  expect(copied.src).not.toBe(sourceImage.src);
  expect(JSON.stringify(copied.json).replace(copied.src, sourceImage.src)).toBe(JSON.stringify(sourceImage.json));
  for (const original of [rich, typed, empty]) {
    const copy = list.items.find((item) => item.title === original.title)!;
    expect(copy).toBeDefined();
    for (const format of ['json', 'markdown'] as const) {
      expect(await content(target, bob.token, copy.id, format)).toBe(await content(source, ada.token, original.id, format));
    }
  }
  expect(await content(target, bob.token, list.items.find((item) => item.title === 'Rich: "quotes" & ünïcode')!.id, 'markdown')).toContain('## Plan');
  const refused = await runScript('scripts/import.ts', ['--url', target.url, archive], { QUIRE_TOKEN: 'not-a-token' });
  expect(refused.code).not.toBe(0);
  expect(refused.stderr).toContain('401');
}, 60_000);
