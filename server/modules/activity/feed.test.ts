/** The activity history over REST: what edits, creations, renames and deletions leave in the feed. */
import { afterEach, describe, expect, test } from 'bun:test';
import * as Y from 'yjs';
import type { ActivityEvent, DocumentEditedEvent } from '../../../shared/activity.ts';
import type { Page } from '../../../shared/dto.ts';
import {
  connectClient,
  documentText,
  identityOf,
  startTestServer,
  synced,
  typeParagraph,
  waitFor,
  type Client,
  type TestServer,
} from '../../test-support/harness.ts';

let server: TestServer | null = null;
const clients: Client[] = [];

async function start(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  server = await startTestServer({ ...options, env: { ACTIVITY_IDLE_MS: '200', ...options.env } });
  return server;
}

function client(documentId: string, token: string): Client {
  const connected = connectClient((server as TestServer).wsUrl, documentId, token);
  clients.push(connected);
  return connected;
}

/** `GET /api/activity` as `token`; asserts 200. */
async function feed(token: string, query = ''): Promise<Page<ActivityEvent>> {
  const response = await (server as TestServer).request(`/api/activity${query}`, { token });
  expect(response.status).toBe(200);
  return (await response.json()) as Page<ActivityEvent>;
}

/** Waits until the feed (with `query`) holds `count` events, and returns them newest first. */
async function feedOf(token: string, count: number, query = ''): Promise<ActivityEvent[]> {
  let items: ActivityEvent[] = [];
  await waitFor(async () => (items = (await feed(token, query)).items).length >= count, 5000, `${count} feed events`);
  return items;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await server?.close();
  server = null;
});

describe('activity feed', () => {
  test('two users editing one document get one coalesced edit event each, attributed to their sessions', async () => {
    const s = await start();
    const ada = await s.signIn('Ada');
    const bob = await s.signIn('Bob');
    const document = await s.createDocument(ada.token, { title: 'Minutes' });
    const adaClient = client(document.id, ada.token);
    const bobClient = client(document.id, bob.token);
    await Promise.all([synced(adaClient), synced(bobClient)]);
    // Bob's client claims to be Ada (and Mallory elsewhere): attribution must not care.
    bobClient.provider.awareness.setLocalStateField('user', { name: 'Ada', color: ada.user.color });
    adaClient.provider.awareness.setLocalStateField('user', { name: 'Mallory' });

    typeParagraph(adaClient.doc, 'Hello from Ada');
    const adaText = () => (adaClient.doc.getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText;
    adaText().insert(14, ' again'); // typing into the existing paragraph
    adaText().delete(0, 6); // "Hello " removed
    typeParagraph(bobClient.doc, 'Bob was here');
    await waitFor(() => documentText(adaClient.doc) === documentText(bobClient.doc) && documentText(bobClient.doc).length === 26, 5000, 'convergence');

    const events = await feedOf(ada.token, 3, `?documentId=${document.id}`);
    const edited = events.filter((event): event is DocumentEditedEvent => event.type === 'document.edited');
    expect(edited).toHaveLength(2);
    const byActor = new Map(edited.map((event) => [event.actor.id, event]));
    expect(byActor.get(ada.user.id)).toMatchObject({
      documentId: document.id,
      documentTitle: 'Minutes',
      actor: identityOf(ada.user),
      // "Hello " was typed and deleted within the same burst: undone, not news.
      details: { inserted: 14, deleted: 0, words: { inserted: 3, deleted: 0 }, excerpt: 'from Ada again' },
    });
    expect(byActor.get(bob.user.id)).toMatchObject({
      actor: identityOf(bob.user),
      details: { inserted: 12, deleted: 0, excerpt: 'Bob was here' },
    });
    // Still exactly one each once everything has settled.
    await Bun.sleep(300);
    expect((await feed(ada.token, `?documentId=${document.id}`)).items.filter((e) => e.type === 'document.edited')).toHaveLength(2);
  });

  test('create, rename and delete over REST appear in order, with the title at the time', async () => {
    const s = await start();
    const ada = await s.signIn('Ada');
    const document = await s.createDocument(ada.token, { title: 'Draft' });
    const renamed = await s.request(`/api/documents/${document.id}`, { method: 'PATCH', token: ada.token, json: { title: 'Final' } });
    expect(renamed.status).toBe(200);
    expect((await s.request(`/api/documents/${document.id}`, { method: 'DELETE', token: ada.token })).status).toBe(204);
    const events = await feedOf(ada.token, 3, `?documentId=${document.id}`);
    expect(events.map((event) => event.type)).toEqual(['document.deleted', 'document.renamed', 'document.created']);
    const [deleted, rename, created] = events as [ActivityEvent, ActivityEvent, ActivityEvent];
    expect(created.id).toBeLessThan(rename.id);
    expect(rename.id).toBeLessThan(deleted.id);
    expect(created).toMatchObject({ documentTitle: 'Draft', actor: identityOf(ada.user), details: {} });
    expect(rename).toMatchObject({ documentTitle: 'Final', details: { from: 'Draft', to: 'Final' } });
    expect(deleted).toMatchObject({ documentTitle: 'Final', actor: identityOf(ada.user) });
  });

  test('pages newest first with before, limit and nextCursor, and filters by document', async () => {
    const s = await start();
    const ada = await s.signIn('Ada');
    const first = await s.createDocument(ada.token, { title: 'First' });
    const second = await s.createDocument(ada.token, { title: 'Second' });
    for (const title of ['Second b', 'Second c', 'Second d']) {
      await s.request(`/api/documents/${second.id}`, { method: 'PATCH', token: ada.token, json: { title } });
    }
    const all = await feedOf(ada.token, 5);
    expect(all).toHaveLength(5);
    expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort((a, b) => b - a));

    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<ActivityEvent> = await feed(ada.token, `?limit=2${cursor ? `&before=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(all.map((e) => e.id));

    const onlyFirst = await feed(ada.token, `?documentId=${first.id}`);
    expect(onlyFirst.items.map((e) => [e.type, e.documentTitle])).toEqual([['document.created', 'First']]);
    expect(onlyFirst.nextCursor).toBeNull();
    expect((await feed(ada.token, `?documentId=${second.id}`)).items).toHaveLength(4);
  });

  test('a bad cursor is a 400 problem and reading without a session is a 401', async () => {
    const s = await start();
    const ada = await s.signIn('Ada');
    for (const before of ['abc', '-1', '1.5']) {
      const response = await s.request(`/api/activity?before=${before}`, { token: ada.token });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(await response.json()).toMatchObject({ status: 400, fields: ['before'] });
    }
    expect((await s.request('/api/activity?limit=0', { token: ada.token })).status).toBe(400);
    for (const path of ['/api/activity', '/api/activity/stream']) {
      const anonymous = await s.request(path);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
      expect((await s.request(path, { token: `${ada.token.slice(0, -2)}xx` })).status).toBe(401);
    }
  });

  test('a server shutdown flushes open edit bursts into the stored feed', async () => {
    const s = await start({ env: { ACTIVITY_IDLE_MS: '600000', ACTIVITY_MAX_SPAN_MS: '3600000' } });
    const ada = await s.signIn('Ada');
    const document = await s.createDocument(ada.token, { title: 'Notes' });
    const writer = client(document.id, ada.token);
    await synced(writer);
    typeParagraph(writer.doc, 'written just before shutdown');
    await waitFor(() => documentText(s.server.services.rooms.peek(document.id)?.doc ?? new Y.Doc()) === 'written just before shutdown', 5000, 'server has the edit');
    expect((await feed(ada.token, `?documentId=${document.id}`)).items.map((e) => e.type)).toEqual(['document.created']);

    for (const c of clients.splice(0)) c.destroy();
    const dataDir = s.dataDir;
    await s.close({ keepData: true });
    server = await startTestServer({ dataDir });
    const events = await feed(ada.token, `?documentId=${document.id}`);
    expect(events.items.map((e) => e.type)).toEqual(['document.edited', 'document.created']);
    expect(events.items[0]).toMatchObject({ actor: identityOf(ada.user), details: { inserted: 28, deleted: 0, excerpt: 'written just before shutdown' } });
  });
});
