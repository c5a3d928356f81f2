/**
 * Three Quire instances on one PostgreSQL database and one Redis: clients spread across them
 * co-edit and converge, activity made on one streams from another, a deletion closes sockets
 * everywhere, ending a session or disabling an account closes its sockets and streams on every
 * instance, and when an instance dies its clients carry on through another without losing edits.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { createParser } from 'eventsource-parser';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CHILD_PASSWORD, createAccount, freePort, requestJson, spawnServer, type ChildServer } from '../test-support/child-server.ts';
import { connectClient, documentText, synced, tempDir, typeParagraph, waitFor, type Client } from '../test-support/harness.ts';
import { TEST_REDIS_URL, createTestDatabase } from '../test-support/postgres.ts';
import { requireRedis } from '../test-support/services.ts';

let instances: ChildServer[] = [];
const clients: Client[] = [];
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let dataDir: ReturnType<typeof tempDir>;
let token: string;

const env = () => ({
  DATABASE_URL: database.url,
  REDIS_URL: TEST_REDIS_URL,
  SESSION_SECRET: 'cluster-test-secret-0123456789abcdef',
  ACTIVITY_IDLE_MS: '100',
  // Compact often, so instances compact the same document while the other keeps writing.
  COMPACT_AFTER_UPDATES: '20',
  REGISTRATION: 'open',
});

async function api<T>(instance: ChildServer, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(instance.url + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

function client(instance: ChildServer, documentId: string): Client {
  const connected = connectClient(instance.wsUrl, documentId, token);
  clients.push(connected);
  return connected;
}

beforeAll(async () => {
  await requireRedis();
  database = await createTestDatabase();
  dataDir = tempDir('quire-cluster-');
  // Started together: migrations must be safe when several instances start at once.
  instances = await Promise.all([0, 1, 2].map(() => spawnServer({ dataDir: dataDir.path, port: freePort(), env: env() })));
  token = '';
  token = (await createAccount(instances[0]!.url, 'Ada')).token;
}, 30_000);

afterAll(async () => {
  for (const c of clients) c.destroy();
  await Promise.all(instances.map((instance) => instance.kill('SIGTERM')));
  await database.drop();
  dataDir.cleanup();
}, 30_000);

test('clients on three instances co-edit one document and converge', async () => {
  const { id } = await api<{ id: string }>(instances[0]!, 'POST', '/api/documents', { title: 'Shared' });
  const peers = instances.map((instance) => client(instance, id));
  await Promise.all(peers.map((peer) => synced(peer)));
  peers.forEach((peer, index) => typeParagraph(peer.doc, `from instance ${index};`));
  await waitFor(() => peers.every((peer) => documentText(peer.doc).length === 3 * 'from instance 0;'.length), 10_000, 'convergence');
  const texts = peers.map((peer) => documentText(peer.doc));
  expect(new Set(texts).size).toBe(1);
  for (let i = 0; i < 3; i++) expect(texts[0]).toContain(`from instance ${i};`);
  // A late joiner on an instance that did not have the document open gets it all at once.
  const late = client(instances[1]!, id);
  await waitFor(() => documentText(late.doc) === texts[0], 10_000, 'late joiner');
}, 30_000);

test('two instances compacting one document while both write lose nothing and duplicate nothing', async () => {
  const { id } = await api<{ id: string }>(instances[0]!, 'POST', '/api/documents', { title: 'Compaction' });
  const writers = [client(instances[0]!, id), client(instances[1]!, id)];
  await Promise.all(writers.map((writer) => synced(writer)));
  const texts = writers.map((writer, index) => {
    const paragraph = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    writer.doc.getXmlFragment('default').insert(0, [paragraph]);
    return text;
  });
  for (let i = 0; i < 300; i++) {
    texts.forEach((text, index) => text.insert(text.length, String(index)));
    if (i % 10 === 0) await Bun.sleep(1); // a typist's pace: the sockets drain between keystrokes
  }
  await waitFor(() => writers.every((writer) => documentText(writer.doc).length === 600), 15_000, 'both typists converge');
  const expected = documentText(writers[0]!.doc);
  for (const writer of writers.splice(0)) writer.destroy();
  // Loaded afresh from the database by an instance that never had it open.
  const reader = client(instances[2]!, id);
  await waitFor(() => documentText(reader.doc) === expected, 15_000, 'the stored state');
  expect(documentText(reader.doc).split('0').length - 1).toBe(300);
  expect(documentText(reader.doc).split('1').length - 1).toBe(300);
}, 30_000);

/** An activity stream on one instance, parsed with an EventSource-compatible parser. */
function openStream(instance: ChildServer, lastEventId?: number) {
  const events: { id: number; type: string; documentTitle: string }[] = [];
  const parser = createParser({ onEvent: (event) => events.push(JSON.parse(event.data)) });
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (lastEventId !== undefined) headers['last-event-id'] = String(lastEventId);
  const controller = new AbortController();
  let markOpen: () => void = () => {};
  // The server subscribes a stream before it answers, so from the response on nothing is missed.
  const opened = new Promise<void>((resolve) => (markOpen = resolve));
  const pump = (async () => {
    const response = await fetch(`${instance.url}/api/activity/stream`, { headers, signal: controller.signal });
    markOpen();
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      parser.feed(decoder.decode(value, { stream: true }));
    }
  })().catch(() => undefined);
  return { events, opened, close: () => (controller.abort(), pump) };
}

test('activity made through one instance streams from another, and resumes on a third', async () => {
  const stream = openStream(instances[2]!);
  await stream.opened;
  const { id } = await api<{ id: string }>(instances[0]!, 'POST', '/api/documents', { title: 'Made on zero' });
  const writer = client(instances[1]!, id);
  await synced(writer);
  typeParagraph(writer.doc, 'typed on one');
  await waitFor(() => stream.events.some((e) => e.type === 'document.edited' && e.documentTitle === 'Made on zero'), 10_000, 'edit event');
  const created = stream.events.find((e) => e.type === 'document.created' && e.documentTitle === 'Made on zero');
  expect(created).toBeDefined();
  await stream.close();

  // Missed while away, made through two different instances; ids are global, so any instance resumes.
  const seen = stream.events.at(-1)!.id;
  await api(instances[0]!, 'PATCH', `/api/documents/${id}`, { title: 'Renamed on zero' });
  await api(instances[1]!, 'PATCH', `/api/documents/${id}`, { title: 'Renamed on one' });
  const resumed = openStream(instances[2]!, seen);
  await waitFor(() => resumed.events.filter((e) => e.type === 'document.renamed').length === 2, 10_000, 'the missed renames');
  // Each instance stores its event after answering, so the two may commit in either order.
  expect(resumed.events.map((e) => e.documentTitle).sort()).toEqual(['Renamed on one', 'Renamed on zero']);
  const ids = resumed.events.map((e) => e.id);
  expect(ids.every((eventId) => eventId > seen)).toBe(true);
  expect(ids).toEqual([...ids].sort((a, b) => a - b));
  await resumed.close();
}, 30_000);

test('deleting through one instance closes sockets on every instance', async () => {
  const { id } = await api<{ id: string }>(instances[0]!, 'POST', '/api/documents', { title: 'Doomed' });
  const sockets = instances.map((instance) => {
    const socket = new WebSocket(`${instance.wsUrl}/sync/${id}?token=${token}`);
    // The server greets only once the socket has joined the document's room.
    const greeted = new Promise<void>((resolve) => (socket.onmessage = () => resolve()));
    const closed = new Promise<number>((resolve) => (socket.onclose = (event) => resolve(event.code)));
    return { greeted, closed };
  });
  await Promise.all(sockets.map((socket) => socket.greeted));
  await api(instances[0]!, 'DELETE', `/api/documents/${id}`);
  expect(await Promise.all(sockets.map((socket) => socket.closed))).toEqual([4404, 4404, 4404]);
}, 30_000);

/** A raw sync socket: resolves `greeted` once joined, `closed` with its close code. */
function syncSocket(instance: ChildServer, documentId: string, sessionToken: string) {
  const socket = new WebSocket(`${instance.wsUrl}/sync/${documentId}?token=${sessionToken}`);
  const greeted = new Promise<void>((resolve) => (socket.onmessage = () => resolve()));
  let code: number | null = null;
  const closed = new Promise<number>((resolve) => (socket.onclose = (event) => resolve((code = event.code))));
  return { greeted, closed, code: () => code, close: () => socket.close() };
}

/** An activity stream: `ended` resolves when the server ends it. */
async function liveStream(instance: ChildServer, sessionToken: string): Promise<{ ended: Promise<void>; isEnded(): boolean }> {
  const response = await fetch(`${instance.url}/api/activity/stream`, { headers: { authorization: `Bearer ${sessionToken}` } });
  const reader = response.body!.getReader();
  await reader.read(); // the retry hint: it is open
  let done = false;
  const ended = (async () => {
    while (!(await reader.read()).done);
    done = true;
  })();
  return { ended, isEnded: () => done };
}

test('signing out, and disabling an account, through one instance close its sockets (4401) and streams on the others within a second', async () => {
  const bea = await createAccount(instances[0]!.url, 'Bea');
  const second = await requestJson<{ token: string }>(instances[1]!.url, '/api/session', { json: { email: bea.email, password: CHILD_PASSWORD } });
  const { id } = await api<{ id: string }>(instances[0]!, 'POST', '/api/documents', { title: 'Sessions' });
  const first = [syncSocket(instances[1]!, id, bea.token), syncSocket(instances[2]!, id, bea.token)];
  const other = syncSocket(instances[2]!, id, second.token);
  const admins = syncSocket(instances[1]!, id, token);
  await Promise.all([...first, other, admins].map((socket) => socket.greeted));
  const firstStream = await liveStream(instances[2]!, bea.token);
  const secondStream = await liveStream(instances[1]!, second.token);

  let started = performance.now();
  const out = await fetch(`${instances[0]!.url}/api/session`, { method: 'DELETE', headers: { authorization: `Bearer ${bea.token}` } });
  expect(out.status).toBe(204);
  expect(await Promise.all(first.map((socket) => socket.closed))).toEqual([4401, 4401]);
  await firstStream.ended;
  expect(performance.now() - started).toBeLessThan(1000);
  // Her other session, on the same instances, is untouched.
  expect(other.code()).toBeNull();
  expect(secondStream.isEnded()).toBe(false);

  started = performance.now();
  await api(instances[0]!, 'PATCH', `/api/users/${bea.user.id}`, { disabled: true });
  expect(await other.closed).toBe(4401);
  await secondStream.ended;
  expect(performance.now() - started).toBeLessThan(1000);
  expect((await fetch(`${instances[2]!.url}/api/session`, { headers: { authorization: `Bearer ${second.token}` } })).status).toBe(401);
  expect(admins.code()).toBeNull();
  admins.close();
}, 30_000);

test('when an instance dies its clients continue through another without losing an edit', async () => {
  const { id } = await api<{ id: string }>(instances[0]!, 'POST', '/api/documents', { title: 'Failover' });
  const victim = instances[2]!;
  const onVictim = client(victim, id);
  const observer = client(instances[0]!, id);
  await Promise.all([synced(onVictim), synced(observer)]);
  typeParagraph(onVictim.doc, 'before the crash;');
  await waitFor(() => documentText(observer.doc) === 'before the crash;', 10_000);
  await victim.kill('SIGKILL');
  onVictim.provider.disconnect();
  // Edits made while disconnected stay in the client's document...
  typeParagraph(onVictim.doc, 'while offline;');
  // ...and reach everyone once the load balancer sends it to a surviving instance.
  const provider = new WebsocketProvider(`${instances[1]!.wsUrl}/sync`, id, onVictim.doc, { params: { token }, disableBc: true });
  clients.push({ doc: onVictim.doc, provider, destroy: () => provider.destroy() });
  await waitFor(() => documentText(observer.doc) === 'before the crash;while offline;', 10_000, 'failover');
  instances = instances.slice(0, 2);
}, 30_000);
