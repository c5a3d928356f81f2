/**
 * `npm run export` from one server and `npm run import` into another: every document arrives
 * with its title and the same content (JSON and Markdown), typed text included; the archive
 * holds each document as Markdown a person can read.
 */
import { afterEach, expect, test } from 'bun:test';
import { join } from 'node:path';
import { connectClient, startTestServer, synced, tempDir, typeParagraph, waitFor, type TestServer } from '../test-support/harness.ts';
import { runScript } from '../test-support/scripts.ts';
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
  const client = connectClient(source.wsUrl, typed.id, ada.token);
  cleanups.push(() => client.destroy());
  await synced(client);
  typeParagraph(client.doc, 'typed live, saved before the export');
  await waitFor(async () => (await content(source, ada.token, typed.id, 'markdown')).includes('typed live'), 5000, 'the typed text to be stored');

  const archive = join(files.path, 'quire-export.tar.gz');
  const exported = await runScript('scripts/export.ts', ['--url', source.url, '--out', archive], { QUIRE_TOKEN: ada.token });
  expect(exported).toMatchObject({ code: 0, stdout: 'exported 3 documents to ' + archive + '\n' });
  const { manifest, contents } = await readExport(archive);
  expect(manifest.documents.map((entry) => entry.title).sort()).toEqual(['Empty', 'Rich: "quotes" & ünïcode', 'Typed']);
  expect(contents.get(rich.id)).toEqual(JSON.parse(await content(source, ada.token, rich.id, 'json')));

  const bob = await target.signIn('Bob');
  const imported = await runScript('scripts/import.ts', ['--url', target.url, archive], { QUIRE_TOKEN: bob.token });
  expect(imported).toMatchObject({ code: 0, stdout: 'imported 3 documents\n' });
  const list = (await (await target.request('/api/documents', { token: bob.token })).json()) as { items: { id: string; title: string }[] };
  expect(list.items).toHaveLength(3);
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
