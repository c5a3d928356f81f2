/**
 * Activity privacy: a reader's stream and history carry exactly the events of documents it may
 * read (checked among 50 private documents of someone else), stop the moment its access is
 * revoked, start when it is given, and a revoked document's past leaves its history too.
 */
import { afterEach, expect, test } from 'bun:test';
import type { ActivityEvent } from '../../../shared/activity.ts';
import type { Page } from '../../../shared/dto.ts';
import { startTestServer, waitFor, type TestServer } from '../../test-support/harness.ts';
import { openStream, type StreamClient } from './stream-client.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function history(server: TestServer, token: string): Promise<ActivityEvent[]> {
  const response = await server.request('/api/activity?limit=200', { token });
  expect(response.status).toBe(200);
  return ((await response.json()) as Page<ActivityEvent>).items;
}

async function share(server: TestServer, token: string, documentId: string, scope: 'private' | 'workspace', grants: { user: { id: string }; role: string }[]) {
  const response = await server.request(`/api/documents/${documentId}/access`, { method: 'PUT', token, json: { general: { scope, role: 'editor' }, grants } });
  expect(response.status).toBe(200);
}

async function rename(server: TestServer, token: string, documentId: string, title: string) {
  expect((await server.request(`/api/documents/${documentId}`, { method: 'PATCH', token, json: { title } })).status).toBe(200);
}

test('among 50 private documents, a reader receives exactly the events of the documents it may read, live and in history', async () => {
  const server = await startTestServer({ env: { DEFAULT_ACCESS: 'private:editor' } });
  cleanups.push(() => server.close());
  const root = await server.signIn('Root'); // the workspace admin, who reads everything
  const ada = await server.signIn('Ada');
  const bob = await server.signIn('Bob');
  const live: StreamClient = await openStream(server, bob.token);
  cleanups.push(() => live.close());
  await waitFor(() => live.retry !== null, 2000, 'the stream to open');

  const readable = new Set<string>();
  for (let i = 0; i < 50; i++) await server.createDocument(ada.token, { title: `Private ${i}` });
  for (let i = 0; i < 3; i++) {
    const { id } = await server.createDocument(ada.token, { title: `Team ${i}` });
    await share(server, ada.token, id, 'workspace', []);
    readable.add(id);
  }
  for (let i = 0; i < 2; i++) {
    const { id } = await server.createDocument(ada.token, { title: `For Bob ${i}` });
    await share(server, ada.token, id, 'private', [{ user: { id: bob.user.id }, role: 'viewer' }]);
    readable.add(id);
  }
  const mine = await server.createDocument(bob.token, { title: 'Bob’s own' });
  readable.add(mine.id);
  // Every document gets a rename, so each readable one has an event after it became readable.
  const all = (await history(server, root.token)).filter((event) => event.type === 'document.created');
  for (const event of all) await rename(server, event.documentId === mine.id ? bob.token : ada.token, event.documentId, `${event.documentTitle}!`);

  const everything = (await history(server, root.token)).reverse();
  expect(everything.filter((event) => event.type === 'document.renamed')).toHaveLength(56);
  // Created private, then shared: the creation of a document Bob could not read yet is not his to see.
  const expected = everything.filter((event) => readable.has(event.documentId) && !(event.type === 'document.created' && event.documentId !== mine.id));
  await waitFor(() => live.events.length >= expected.length, 5000, 'the readable events');
  // The last rename is of a private document, so waiting for nothing more is safe: compare exactly.
  const lastPrivate = everything.findLast((event) => !readable.has(event.documentId))!;
  expect(lastPrivate.id).toBeGreaterThan(expected[expected.length - 1]!.id);
  expect(live.events.map((event) => Number(event.id))).toEqual(expected.map((event) => event.id));
  expect(live.events.every((event) => !event.data.documentTitle.startsWith('Private'))).toBe(true);

  // History: the same documents, every event of theirs now that Bob may read them.
  const bobsHistory = await history(server, bob.token);
  expect(new Set(bobsHistory.map((event) => event.documentId))).toEqual(readable);
  expect(bobsHistory.map((event) => event.id)).toEqual(everything.filter((event) => readable.has(event.documentId)).map((event) => event.id).reverse());
  // A private document's own feed is a 404, as the document is.
  const privateOne = all.find((event) => event.documentTitle.startsWith('Private'))!;
  expect((await server.request(`/api/activity?documentId=${privateOne.documentId}`, { token: bob.token })).status).toBe(404);
}, 60_000);

test('revoking access stops the flow at once and takes the past with it; giving access starts it', async () => {
  const server = await startTestServer({ env: { DEFAULT_ACCESS: 'private:editor' } });
  cleanups.push(() => server.close());
  await server.signIn('Root');
  const ada = await server.signIn('Ada');
  const bob = await server.signIn('Bob');
  const shared = await server.createDocument(ada.token, { title: 'Shared' });
  const beacon = await server.createDocument(ada.token, { title: 'Beacon' });
  await share(server, ada.token, shared.id, 'private', [{ user: { id: bob.user.id }, role: 'editor' }]);
  await share(server, ada.token, beacon.id, 'workspace', []);
  const live = await openStream(server, bob.token);
  cleanups.push(() => live.close());
  await waitFor(() => live.retry !== null, 2000, 'the stream to open');

  await rename(server, ada.token, shared.id, 'Shared v2');
  await live.waitForEvents(1);
  expect(live.events[0]!.data).toMatchObject({ type: 'document.renamed', documentId: shared.id });

  // A bystander who never could read the document hears nothing of it, ever.
  const carol = await server.signIn('Carol');
  const bystander = await openStream(server, carol.token);
  cleanups.push(() => bystander.close());
  await waitFor(() => bystander.retry !== null, 2000, "the bystander's stream to open");

  await share(server, ada.token, shared.id, 'private', []);
  await rename(server, ada.token, shared.id, 'Secret now');
  await rename(server, ada.token, beacon.id, 'Beacon v2');
  // Bob is told he lost the document (so his feed drops its past); then the beacon, renamed after
  // the secret rename, arrives; the secret rename never does.
  await live.waitForEvents(3);
  expect(live.events.map((event) => [event.type === 'access.revoked' ? (event.data as unknown as { documentId: string }).documentId : event.data.documentId, event.type])).toEqual([
    [shared.id, 'document.renamed'],
    [shared.id, 'access.revoked'],
    [beacon.id, 'document.renamed'],
  ]);
  expect(live.events[1]!.id).toBeUndefined();
  expect(JSON.stringify(live.events)).not.toContain('Secret now');
  await bystander.waitForEvents(1);
  expect(bystander.events.map((event) => event.type)).toEqual(['document.renamed']);
  expect(JSON.stringify(bystander.events)).not.toContain(shared.id);
  // And the document's past left Bob's history with the access.
  expect((await history(server, bob.token)).map((event) => event.documentId)).not.toContain(shared.id);

  await share(server, ada.token, shared.id, 'private', [{ user: { id: bob.user.id }, role: 'viewer' }]);
  await rename(server, ada.token, shared.id, 'Back again');
  await live.waitForEvents(4);
  expect(live.events[3]!.data).toMatchObject({ documentId: shared.id, documentTitle: 'Back again' });
});

test('a link gives a visitor without an account that document’s stream, which ends when the link is reset', async () => {
  const server = await startTestServer({ env: { SSE_HEARTBEAT_MS: '200' } });
  cleanups.push(() => server.close());
  const ada = await server.signIn('Ada');
  const doc = await server.createDocument(ada.token, { title: 'Public notes' });
  const put = await server.request(`/api/documents/${doc.id}/access`, { method: 'PUT', token: ada.token, json: { general: { scope: 'link', role: 'viewer' }, grants: [] } });
  const link = ((await put.json()) as { link: string }).link.split('/s/')[1]!;
  // Everything needs an account, but one document's stream.
  expect((await server.request(`/api/activity/stream?share=${link}`)).status).toBe(401);
  const stream = await fetch(`${server.url}/api/activity/stream?documentId=${doc.id}&share=${link}`);
  expect(stream.status).toBe(200);
  const reader = stream.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const read = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      text += decoder.decode(value);
    }
  })();
  await rename(server, ada.token, doc.id, 'Public notes v2');
  await waitFor(() => text.includes('Public notes v2'), 5000, 'the rename on the visitor’s stream');
  await server.request(`/api/documents/${doc.id}/access/link`, { method: 'POST', token: ada.token });
  // The next heartbeat finds the link reset and ends the stream.
  await read;
  expect((await server.request(`/api/activity/stream?documentId=${doc.id}&share=${link}`)).status).toBe(404);
});
