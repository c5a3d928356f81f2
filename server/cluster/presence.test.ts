/**
 * Presence across two instances on one PostgreSQL and one Redis: a state announced through one
 * is seen through the other, relays and spoofs made through the other are dropped there (nobody
 * is closed), and the same person may move from one instance to the other.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { WebsocketProvider } from 'y-websocket';
import { SYNC_PATH } from '../../shared/protocol.ts';
import { encodeAwareness, encodeAwarenessEntries } from '../sync/protocol.ts';
import {
  closeCodes,
  connectClient,
  documentText,
  startTestServer,
  synced,
  typeParagraph,
  waitFor,
  type Client,
  type TestServer,
} from '../test-support/harness.ts';
import { TEST_REDIS_URL, createTestDatabase } from '../test-support/postgres.ts';
import { requireRedis } from '../test-support/services.ts';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let instances: TestServer[] = [];
const clients: Client[] = [];

beforeAll(async () => {
  await requireRedis();
  database = await createTestDatabase();
  const env = { DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, SESSION_SECRET: 'presence-test-secret-0123456789abcdef' };
  instances = [await startTestServer({ env }), await startTestServer({ env })];
}, 30_000);

afterAll(async () => {
  for (const client of clients) client.destroy();
  await Promise.all(instances.map((instance) => instance.close()));
  await database.drop();
}, 30_000);

function connect(instance: TestServer, documentId: string, token: string): Client {
  const client = connectClient(instance.wsUrl, documentId, token);
  clients.push(client);
  return client;
}

function statusOf(client: Client, clientId: number): string | undefined {
  return (client.provider.awareness.getStates().get(clientId) as { status?: string } | undefined)?.status;
}

function statusOn(instance: TestServer, documentId: string, clientId: number): string | undefined {
  return (instance.server.services.rooms.peek(documentId)?.awareness.getStates().get(clientId) as { status?: string } | undefined)?.status;
}

test('presence crosses instances; relays and spoofs from the other instance are dropped; the same user may move', async () => {
  const [a, b] = instances as [TestServer, TestServer];
  const ada = (await a.signIn('Ada')).token;
  const mallory = (await b.signIn('Mallory')).token;
  const { id } = await a.createDocument(ada, { title: 'Presence' });
  const owner = connect(a, id, ada);
  const watcher = connect(b, id, ada);
  const spoofer = connect(b, id, mallory);
  const besideOwner = connect(a, id, ada);
  const closes = [owner, watcher, spoofer, besideOwner].map((client) => closeCodes(client));
  await Promise.all([owner, watcher, spoofer, besideOwner].map((client) => synced(client)));
  owner.provider.awareness.setLocalStateField('status', 'Ada');
  const adaId = owner.doc.clientID;
  await waitFor(() => statusOf(watcher, adaId) === 'Ada' && statusOf(spoofer, adaId) === 'Ada', 10_000, 'presence through the other instance');

  // Through instance b: another user's newer state for Ada's id, and the removal a timeout relays.
  const clock = owner.provider.awareness.meta.get(adaId)!.clock;
  const send = (json: string, at: number) =>
    spoofer.provider.ws!.send(encodeAwareness(encodeAwarenessEntries([{ clientId: adaId, clock: at, json, removes: json === 'null' }])));
  send(JSON.stringify({ status: 'Not Ada' }), clock + 3);
  send('null', clock);
  typeParagraph(spoofer.doc, 'after the spoof;');
  await waitFor(() => [owner, watcher].every((client) => documentText(client.doc).includes('after the spoof;')), 10_000, 'the edit after the spoof');
  expect([statusOf(watcher, adaId), statusOf(owner, adaId), statusOn(a, id, adaId), statusOn(b, id, adaId)]).toEqual(['Ada', 'Ada', 'Ada', 'Ada']);
  owner.provider.awareness.setLocalStateField('status', 'Ada, still');
  await waitFor(() => statusOf(watcher, adaId) === 'Ada, still', 10_000, "Ada's next change through the other instance");

  // Ada's connection moves to instance b (a load balancer's choice), same document, same client id.
  owner.provider.disconnect();
  const moved = new WebsocketProvider(`${b.wsUrl}${SYNC_PATH}`, id, owner.doc, { params: { token: ada }, disableBc: true, awareness: owner.provider.awareness });
  clients.push({ doc: owner.doc, provider: moved, destroy: () => moved.destroy() });
  const movedCloses = closeCodes({ doc: owner.doc, provider: moved, destroy() {} });
  await waitFor(() => moved.synced, 10_000, 'the moved connection');
  owner.provider.awareness.setLocalStateField('status', 'Ada, moved');
  await waitFor(() => statusOf(watcher, adaId) === 'Ada, moved' && statusOf(besideOwner, adaId) === 'Ada, moved', 10_000, 'the moved presence everywhere');
  typeParagraph(owner.doc, 'from the new instance;');
  await waitFor(() => documentText(spoofer.doc).includes('from the new instance;'), 10_000, 'an edit after the move');
  expect([...closes[1]!, ...closes[2]!, ...closes[3]!, ...movedCloses]).toEqual([]);
}, 60_000);
