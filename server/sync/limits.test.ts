/**
 * Each limit against a real server: exceeding it earns the offender a clear refusal (a documented
 * close code, or 429 with Retry-After), and everyone else carries on editing as before.
 */
import { afterEach, expect, test } from 'bun:test';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CloseCode } from '../../shared/close-codes.ts';
import { SYNC_PATH } from '../../shared/protocol.ts';
import {
  closeCodes,
  connectClient,
  documentText,
  newAccountBody,
  startTestServer,
  synced,
  typeParagraph,
  waitFor,
  type Client,
  type TestServer,
} from '../test-support/harness.ts';
import { awarenessFrame } from '../test-support/hostile-frames.ts';
import { openRawSync, upgradeStatus, type RawSync } from '../test-support/raw-socket.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serverWith(env: Record<string, string>): Promise<TestServer> {
  const server = await startTestServer({ env });
  cleanups.push(() => server.close());
  return server;
}

function client(server: TestServer, documentId: string, token: string): Client {
  const connected = connectClient(server.wsUrl, documentId, token);
  cleanups.push(() => connected.destroy());
  return connected;
}

/** Resolves with the code of the close after which the stock client gave up (4400-4499). */
function finalClose(client: Client): Promise<number> {
  return new Promise((resolve) => client.provider.on('closed', (event: { code: number }) => resolve(event.code)));
}

/** Two users who keep editing: each sees the other's next paragraph. */
async function stillEditing(a: Client, b: Client, marker: string): Promise<void> {
  typeParagraph(a.doc, `${marker} from a;`);
  await waitFor(() => documentText(b.doc).includes(`${marker} from a;`), 5000, `"${marker}" to reach b`);
  typeParagraph(b.doc, `${marker} from b;`);
  await waitFor(() => documentText(a.doc).includes(`${marker} from b;`), 5000, `"${marker}" to reach a`);
  expect(documentText(a.doc)).toBe(documentText(b.doc));
}

async function storedText(server: TestServer, documentId: string): Promise<string> {
  const stored = new Y.Doc();
  for (const row of await server.server.services.store.loadUpdates(documentId)) Y.applyUpdate(stored, row.data);
  return documentText(stored);
}

test('MAX_DOCUMENT_BYTES: the update that would pass it closes its sender with 4413 and is not applied', async () => {
  const server = await serverWith({ MAX_DOCUMENT_BYTES: '4096' });
  const ada = (await server.signIn('Ada')).token;
  const mallory = (await server.signIn('Mallory')).token;
  const { id } = await server.createDocument(ada);
  const [a, b, m] = [client(server, id, ada), client(server, id, ada), client(server, id, mallory)];
  const [aCloses, bCloses] = [closeCodes(a), closeCodes(b)];
  await Promise.all([synced(a), synced(b), synced(m)]);
  const mClosed = finalClose(m);

  // Under the limit: accepted and delivered like any edit.
  typeParagraph(m.doc, `small:${'s'.repeat(1000)};`);
  await waitFor(() => documentText(a.doc).includes('small:'), 5000, 'the small update');
  // The one that would pass it.
  typeParagraph(m.doc, `big:${'x'.repeat(4000)};`);
  expect(await mClosed).toBe(CloseCode.tooLarge);

  await stillEditing(a, b, 'after the big update');
  for (const text of [documentText(a.doc), documentText(server.server.services.rooms.peek(id)!.doc), await storedText(server, id)]) {
    expect(text).toContain('small:');
    expect(text).not.toContain('big:');
  }
  expect([...aCloses, ...bCloses]).toEqual([]);
});

test('MAX_CONNECTIONS_PER_DOCUMENT: the extra connection gets 4429, the others keep working, other documents are open', async () => {
  // Three people: with two seats, one account holds at most one (MAX_CONNECTIONS_PER_USER_PER_DOCUMENT).
  const server = await serverWith({ MAX_CONNECTIONS_PER_DOCUMENT: '2' });
  const ada = (await server.signIn('Ada')).token;
  const bob = (await server.signIn('Bob')).token;
  const carol = (await server.signIn('Carol')).token;
  const { id } = await server.createDocument(ada);
  const [a, b] = [client(server, id, ada), client(server, id, bob)];
  const [aCloses, bCloses] = [closeCodes(a), closeCodes(b)];
  await Promise.all([synced(a), synced(b)]);
  typeParagraph(a.doc, 'before the third;');
  await waitFor(() => documentText(b.doc) === 'before the third;');

  const c = client(server, id, carol);
  expect(await finalClose(c)).toBe(CloseCode.tooMany);
  expect(documentText(c.doc)).toBe('');
  await stillEditing(a, b, 'with a full room');
  expect([...aCloses, ...bCloses]).toEqual([]);
  expect(server.server.services.rooms.peek(id)!.connections.size).toBe(2);

  // The limit is per document, and a seat that frees up can be taken.
  const other = client(server, (await server.createDocument(ada)).id, ada);
  await synced(other);
  b.destroy();
  c.provider.connect();
  await synced(c);
  await stillEditing(a, c, 'after a seat freed up');
});

test('MESSAGES_PER_SECOND: a flooding connection gets 4429, another client on the document is unaffected', async () => {
  const server = await serverWith({ MESSAGES_PER_SECOND: '20' });
  const ada = (await server.signIn('Ada')).token;
  const mallory = (await server.signIn('Mallory')).token;
  const { id } = await server.createDocument(ada);
  const [a, b, flooder] = [client(server, id, ada), client(server, id, ada), client(server, id, mallory)];
  const [aCloses, bCloses] = [closeCodes(a), closeCodes(b)];
  await Promise.all([synced(a), synced(b), synced(flooder)]);
  const flooderClosed = finalClose(flooder);

  // A script typing as fast as it can: one update message per transaction, far past 20/s
  // (bursts of 40).
  for (let i = 0; i < 200; i++) typeParagraph(flooder.doc, `flood ${i};`);
  expect(await flooderClosed).toBe(CloseCode.tooMany);

  // People typing at human speed on the same document never notice.
  for (let i = 0; i < 5; i++) {
    await stillEditing(a, b, `human ${i}`);
    await Bun.sleep(50);
  }
  expect([...aCloses, ...bCloses]).toEqual([]);
  expect(documentText(server.server.services.rooms.peek(id)!.doc)).toBe(documentText(a.doc));
});

/** Opens raw sync sockets until the server refuses an upgrade; returns those it accepted. */
async function openUntilRefused(server: TestServer, documentId: string, token: string, max: number): Promise<RawSync[]> {
  const accepted: RawSync[] = [];
  for (let i = 0; i < max; i++) {
    const raw = openRawSync(server.wsUrl, documentId, token);
    if (!(await raw.opened)) return accepted;
    accepted.push(raw);
    cleanups.push(() => raw.socket.close());
  }
  throw new Error(`no upgrade refused after ${max}`);
}

test('CONNECTIONS_PER_SECOND_PER_IP: a refused upgrade is HTTP 429 with Retry-After; it passes again after the wait', async () => {
  const server = await serverWith({ CONNECTIONS_PER_SECOND_PER_IP: '2' });
  const ada = (await server.signIn('Ada')).token;
  const { id } = await server.createDocument(ada);
  const [a, b] = [client(server, id, ada), client(server, id, ada)];
  const [aCloses, bCloses] = [closeCodes(a), closeCodes(b)];
  await Promise.all([synced(a), synced(b)]);

  // Bursts of twice the rate: a and b took two of four, so two more get in (three if the
  // bucket refilled meanwhile), each upgrade charged once.
  const accepted = await openUntilRefused(server, id, ada, 20);
  expect(accepted.length).toBeGreaterThanOrEqual(2);
  expect(accepted.length).toBeLessThanOrEqual(3);
  const refused = await upgradeStatus(`${server.wsUrl.replace(/^ws/, 'http')}${SYNC_PATH}/${id}?token=${ada}`);
  expect(refused.status).toBe(429);
  expect(refused.headers.get('content-type')).toContain('application/problem+json');
  const retryAfter = Number(refused.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);

  // Sockets already open are untouched, and after the advertised wait an upgrade passes again.
  await stillEditing(a, b, 'while upgrades are refused');
  await Bun.sleep(retryAfter * 1000);
  const later = openRawSync(server.wsUrl, id, ada);
  cleanups.push(() => later.socket.close());
  expect(await later.opened).toBe(true);
  expect([...aCloses, ...bCloses]).toEqual([]);
});

test('a client stuck in a tight reconnect loop gets 429s and cannot exhaust the server; others keep editing and REST works', async () => {
  const rate = 5;
  const server = await serverWith({ CONNECTIONS_PER_SECOND_PER_IP: String(rate) });
  const ada = (await server.signIn('Ada')).token;
  const { id } = await server.createDocument(ada);
  const [a, b] = [client(server, id, ada), client(server, id, ada)];
  const [aCloses, bCloses] = [closeCodes(a), closeCodes(b)];
  await Promise.all([synced(a), synced(b)]);
  const room = server.server.services.rooms.peek(id)!;

  // A buggy app: stock providers with no backoff that drop their socket as soon as it syncs, so
  // they reconnect at once, for ever (a refused upgrade also retries at once).
  let attempts = 0;
  let syncs = 0;
  const loopers = Array.from({ length: 3 }, () => {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(`${server.wsUrl}${SYNC_PATH}`, id, doc, { params: { token: ada }, disableBc: true, maxBackoffTime: 0 });
    provider.on('connection-close', () => attempts++);
    provider.on('sync', (isSynced: boolean) => {
      if (!isSynced) return;
      syncs++;
      provider.ws?.close();
    });
    const stop = () => (provider.destroy(), doc.destroy());
    cleanups.push(stop);
    return stop;
  });

  const started = performance.now();
  let mostConnections = 0;
  const statuses: number[] = [];
  let signInStatus = 0;
  let listStatus = 0;
  let edits = 0;
  while (performance.now() - started < 3000) {
    mostConnections = Math.max(mostConnections, room.connections.size);
    await stillEditing(a, b, `edit ${edits++}`);
    if (edits % 5 === 0) {
      const upgrade = await upgradeStatus(`${server.url}${SYNC_PATH}/${id}?token=${ada}`);
      statuses.push(upgrade.status);
      if (upgrade.status === 429) expect(Number(upgrade.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      signInStatus = (await server.request('/api/accounts', { method: 'POST', json: newAccountBody('Newcomer') })).status;
      listStatus = (await server.request('/api/documents', { token: ada })).status;
    }
    await Bun.sleep(20);
  }
  const seconds = (performance.now() - started) / 1000;
  for (const stop of loopers) stop();

  expect(attempts).toBeGreaterThan(10 * syncs); // most attempts were refused...
  expect(syncs).toBeLessThanOrEqual(Math.ceil(2 * rate + rate * seconds)); // ...and the rest stayed within the rate
  expect(statuses).toContain(429);
  expect(statuses.filter((status) => status !== 429 && status !== 101)).toEqual([]);
  expect(signInStatus).toBe(201);
  expect(listStatus).toBe(200);
  // a, b, at most one socket per looper, and any probe that got in (fetch lets go of it late).
  expect(mostConnections).toBeLessThanOrEqual(2 + loopers.length + statuses.filter((status) => status === 101).length);
  expect(edits).toBeGreaterThan(10);
  expect([...aCloses, ...bCloses]).toEqual([]);
  await waitFor(() => room.connections.size === 2, 5000, 'the loopers to be gone');
});

test('MAX_DOCUMENT_BYTES: near the limit, deleting, retyping what was deleted and reconnecting are never refused', async () => {
  const server = await serverWith({ MAX_DOCUMENT_BYTES: '8192' });
  const ada = (await server.signIn('Ada')).token;
  const { id } = await server.createDocument(ada);
  const [a, b] = [client(server, id, ada), client(server, id, ada)];
  const [aCloses, bCloses] = [closeCodes(a), closeCodes(b)];
  await Promise.all([synced(a), synced(b)]);
  const text = () => (a.doc.getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText;
  const converged = (what: string) => waitFor(() => documentText(b.doc) === documentText(a.doc), 5000, what);
  typeParagraph(a.doc, 'x'.repeat(5000));
  await converged('the long paragraph');

  // Most of it deleted, then as much typed again: the sum of updates passes the limit, the document does not.
  text().delete(100, 4800);
  await converged('the deletion');
  text().insert(100, 'y'.repeat(4000));
  await converged('the retyped text');

  // Deleting every other character: one update of thousands of deletions, larger than what is left of the limit.
  let deletion: Uint8Array | null = null;
  a.doc.once('update', (update: Uint8Array) => (deletion = update));
  a.doc.transact(() => {
    for (let i = 2000; i > 0; i--) text().delete(100 + i * 2 - 1, 1);
  });
  expect(deletion!.byteLength).toBeGreaterThan(8192 - 4200);
  await converged('the scattered deletions');

  // A reconnect's step 2 carries the whole delete set again: nothing new, so nothing refused.
  a.provider.disconnect();
  a.provider.connect();
  await synced(a);
  text().delete(0, 50);
  await converged('a deletion after reconnecting');
  expect([...aCloses, ...bCloses].filter((code) => code !== 0)).toEqual([]);
  expect(await storedText(server, id)).toBe(documentText(a.doc));
}, 20_000);

test('MESSAGES_PER_SECOND: a stock client that relays the awareness of many busy peers is not cut off', async () => {
  const server = await serverWith({ MESSAGES_PER_SECOND: '20' });
  const ada = (await server.signIn('Ada')).token;
  const { id } = await server.createDocument(ada);
  const [listener, other] = [client(server, id, ada), client(server, id, ada)];
  const closes = closeCodes(listener);
  await Promise.all([synced(listener), synced(other)]);

  // Four peers each move their cursor 15 times a second (within the rate); the stock client
  // echoes all 60 changes a second back, three times its own rate.
  const peers = Array.from({ length: 4 }, () => {
    const raw = openRawSync(server.wsUrl, id, ada);
    cleanups.push(() => raw.socket.close());
    return raw;
  });
  await Promise.all(peers.map((raw) => raw.nextFrame()));
  for (let tick = 1; tick <= 45; tick++) {
    peers.forEach((raw, index) => raw.send(awarenessFrame([{ clientId: 9000 + index, clock: tick, json: JSON.stringify({ cursor: tick }) }])));
    await Bun.sleep(1000 / 15);
  }
  await stillEditing(listener, other, 'after the cursor storm');
  expect(closes).toEqual([]);
  expect(peers.every((raw) => raw.ending === null)).toBe(true);
});

test('MAX_MESSAGE_BYTES: a reconnect whose step 2 carries more than a message may is accepted up to the document limit', async () => {
  const server = await serverWith({ MAX_MESSAGE_BYTES: String(16 * 1024), MAX_DOCUMENT_BYTES: String(1024 * 1024) });
  const ada = (await server.signIn('Ada')).token;
  const { id } = await server.createDocument(ada);
  const [a, b] = [client(server, id, ada), client(server, id, ada)];
  const [aCloses, bCloses] = [closeCodes(a), closeCodes(b)];
  await Promise.all([synced(a), synced(b)]);
  // A long offline session: many paragraphs, each a small edit, sent in one step 2 on reconnecting.
  a.provider.disconnect();
  for (let i = 0; i < 100; i++) typeParagraph(a.doc, `offline ${i} ${'o'.repeat(500)};`);
  a.provider.connect();
  await waitFor(() => documentText(b.doc) === documentText(a.doc), 10_000, 'the offline work to arrive');
  expect(documentText(b.doc).length).toBeGreaterThan(50_000);
  expect(await storedText(server, id)).toBe(documentText(a.doc));
  expect([...aCloses, ...bCloses].filter((code) => code !== 0)).toEqual([]);
  // A single edit that large is still refused (final, as documented).
  const aClosed = finalClose(a);
  typeParagraph(a.doc, 'x'.repeat(20 * 1024));
  expect(await aClosed).toBe(CloseCode.tooLarge);
}, 20_000);

test("Bun's own frame cap sits above the document limit: a step 2 many times MAX_MESSAGE_BYTES is accepted, never answered 1009 for ever", async () => {
  const server = await serverWith({ MAX_MESSAGE_BYTES: String(16 * 1024), MAX_DOCUMENT_BYTES: String(2 * 1024 * 1024) });
  const ada = (await server.signIn('Ada')).token;
  const { id } = await server.createDocument(ada);
  const [a, b] = [client(server, id, ada), client(server, id, ada)];
  const [aCloses, bCloses] = [closeCodes(a), closeCodes(b)];
  await Promise.all([synced(a), synced(b)]);
  // Offline work larger than sixteen messages: its step 2 is past the old cap (MAX_MESSAGE_BYTES * 16).
  a.provider.disconnect();
  for (let i = 0; i < 400; i++) typeParagraph(a.doc, `offline ${i} ${'o'.repeat(1500)};`);
  expect(Y.encodeStateAsUpdate(a.doc).byteLength).toBeGreaterThan(16 * 16 * 1024);
  a.provider.connect();
  await waitFor(() => documentText(b.doc) === documentText(a.doc), 10_000, 'the offline work to arrive');
  expect(await storedText(server, id)).toBe(documentText(a.doc));
  expect([...aCloses, ...bCloses].filter((code) => code !== 0)).toEqual([]);
}, 20_000);

test('MAX_NESTING_DEPTH and MAX_DOCUMENT_NODES: the edit that would pass them closes its sender with 4413 naming the limit; a document at the limits is edited and reopened as usual', async () => {
  const server = await serverWith({ MAX_NESTING_DEPTH: '4', MAX_DOCUMENT_NODES: '100' });
  const ada = (await server.signIn('Ada')).token;
  const { id } = await server.createDocument(ada);
  const [a, b] = [client(server, id, ada), client(server, id, ada)];
  const [aCloses, bCloses] = [closeCodes(a), closeCodes(b)];
  await Promise.all([synced(a), synced(b)]);
  // A list in a list, four levels deep, with text in its deepest item: at the nesting limit.
  const fragment = a.doc.getXmlFragment('default');
  a.doc.transact(() => {
    let parent: Y.XmlFragment | Y.XmlElement = fragment;
    for (const name of ['bulletList', 'listItem', 'bulletList', 'listItem']) {
      const element = new Y.XmlElement(name);
      parent.insert(0, [element]);
      parent = element;
    }
    (parent as Y.XmlElement).insert(0, [new Y.XmlText('deepest item')]);
  });
  // Paragraphs up to the node limit: 5 nodes so far, 2 per paragraph.
  for (let i = 0; i < 47; i++) typeParagraph(a.doc, `p${i};`);
  await waitFor(() => documentText(b.doc) === documentText(a.doc), 5000, 'the document at its limits');
  // Editing text, reconnecting (a step 2 both ways) and a newcomer's sync are never refused.
  a.provider.disconnect();
  ((fragment.get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'edited offline ');
  a.provider.connect();
  await synced(a);
  await waitFor(() => documentText(b.doc) === documentText(a.doc), 5000, 'the offline edit');
  const newcomer = client(server, id, ada);
  await synced(newcomer);

  // One more paragraph: past MAX_DOCUMENT_NODES.
  const m = client(server, id, ada);
  await synced(m);
  const mClosed = new Promise<{ code: number; reason: string }>((resolve) => m.provider.on('closed', resolve));
  typeParagraph(m.doc, 'one too many');
  expect(await mClosed).toMatchObject({ code: CloseCode.tooLarge, reason: expect.stringContaining('MAX_DOCUMENT_NODES') });
  // A block under the deepest item (a paragraph deleted in the same edit, so the count allows it).
  const n = client(server, id, ada);
  await synced(n);
  const nClosed = new Promise<{ code: number; reason: string }>((resolve) => n.provider.on('closed', resolve));
  const nFragment = n.doc.getXmlFragment('default');
  const deepest = (((nFragment.get(0) as Y.XmlElement).get(0) as Y.XmlElement).get(0) as Y.XmlElement).get(0) as Y.XmlElement;
  n.doc.transact(() => {
    nFragment.delete(1, 1);
    deepest.insert(1, [new Y.XmlElement('paragraph')]);
  });
  expect(await nClosed).toMatchObject({ code: CloseCode.tooLarge, reason: expect.stringContaining('MAX_NESTING_DEPTH') });

  // The others carry on typing (into existing blocks: the document is full).
  ((fragment.get(2) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'after the refusals ');
  await waitFor(() => documentText(b.doc).includes('after the refusals'), 5000, 'an edit after the refusals');
  for (const text of [documentText(server.server.services.rooms.peek(id)!.doc), await storedText(server, id)]) {
    expect(text).not.toContain('one too many');
    expect(text).toContain('edited offline p0;');
  }
  expect([...aCloses, ...bCloses].filter((code) => code !== 0)).toEqual([]);
}, 20_000);
