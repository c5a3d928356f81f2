/** What storage guarantees: nothing a peer has seen is lost by a crash; long logs load compacted. */
import { afterEach, expect, test } from 'bun:test';
import * as Y from 'yjs';
import { createAccount, freePort, spawnServer, type ChildServer } from '../test-support/child-server.ts';
import { connectClient, documentText, startTestServer, synced, tempDir, typeParagraph, waitFor, type Client } from '../test-support/harness.ts';
import { SqliteStore } from '../storage/sqlite.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

test('after SIGKILL, the restarted server has every edit the observer had received', async () => {
  const dir = tempDir('quire-crash-');
  cleanups.push(() => dir.cleanup());
  const port = freePort();
  let child: ChildServer = await spawnServer({ dataDir: dir.path, port });
  cleanups.push(() => child.kill());
  const post = (path: string, body: unknown, token?: string) =>
    fetch(child.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  const { token } = await createAccount(child.url, 'Writer');
  const { id } = await json<{ id: string }>(await post('/api/documents', { title: 'Crash' }, token));

  const writer = connectClient(child.wsUrl, id, token);
  const observer = connectClient(child.wsUrl, id, token);
  cleanups.push(() => writer.destroy(), () => observer.destroy());
  await Promise.all([synced(writer), synced(observer)]);
  // The writer types one paragraph per tick until the server dies.
  let typed = 0;
  const typing = setInterval(() => typeParagraph(writer.doc, `<${typed++}>`), 2);
  cleanups.push(() => clearInterval(typing));
  await waitFor(() => documentText(observer.doc).length > 400, 10_000, 'the observer to receive edits');
  await child.kill('SIGKILL');
  const seen = documentText(observer.doc);
  clearInterval(typing);
  writer.provider.disconnect();
  observer.provider.disconnect();

  child = await spawnServer({ dataDir: dir.path, port });
  const reader = connectClient(child.wsUrl, id, token);
  cleanups.push(() => reader.destroy());
  await synced(reader, 10_000);
  const recovered = documentText(reader.doc);
  // One writer appends in order, so "has every edit the observer saw" means "starts with it".
  expect(recovered.startsWith(seen)).toBe(true);
  expect(seen.length).toBeGreaterThan(400);
}, 60_000);

test('a document with thousands of updates is stored compacted and loads whole', async () => {
  // 3,000 keystrokes in a burst: far above what the per-connection and per-account rates let a person send.
  const server = await startTestServer({ env: { COMPACT_AFTER_UPDATES: '100', MESSAGES_PER_SECOND: '100000', MESSAGES_PER_SECOND_PER_USER: '100000' } });
  cleanups.push(() => server.close());
  const { token } = await server.signIn('Typist');
  const { id } = await server.createDocument(token);
  const writer: Client = connectClient(server.wsUrl, id, token);
  cleanups.push(() => writer.destroy());
  await synced(writer);
  const paragraph = new Y.XmlElement('paragraph');
  const text = new Y.XmlText();
  paragraph.insert(0, [text]);
  writer.doc.getXmlFragment('default').insert(0, [paragraph]);
  const keystrokes = 3000;
  for (let i = 0; i < keystrokes; i++) {
    text.insert(text.length, String.fromCharCode(97 + (i % 26)));
    if (i % 200 === 0) await Bun.sleep(0); // let the socket drain, as a typist's pauses would
  }
  const expected = documentText(writer.doc);
  const observer = connectClient(server.wsUrl, id, token);
  cleanups.push(() => observer.destroy());
  await waitFor(() => documentText(observer.doc) === expected, 10_000, 'all keystrokes');
  writer.destroy();
  observer.destroy();
  await waitFor(() => server.server.services.rooms.size === 0, 10_000, 'room release');

  const rows = await server.server.services.store.loadUpdates(id);
  expect(rows.length).toBe(1);
  const dataDir = server.dataDir;
  await server.close({ keepData: true });
  const store = new SqliteStore(dataDir);
  cleanups.push(() => store.close());
  const reloaded = new Y.Doc();
  for (const row of await store.loadUpdates(id)) Y.applyUpdate(reloaded, row.data);
  expect(documentText(reloaded)).toBe(expected);
  expect(expected.length).toBe(keystrokes);
}, 60_000);
