/**
 * Presence cannot lie: whatever a client puts in its awareness state's `user`, others see its
 * account's `{id, name, color}`, and nobody is disconnected for trying. Stock y-websocket clients.
 */
import { afterEach, expect, test } from 'bun:test';
import { closeCodes, connectClient, identityOf, startTestServer, synced, waitFor, type Client, type TestServer } from '../test-support/harness.ts';
import type { Connection } from './connection.ts';
import { stampUser } from './presence.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function stock(server: TestServer, documentId: string, token: string): Client {
  const client = connectClient(server.wsUrl, documentId, token);
  cleanups.push(() => client.destroy());
  return client;
}

const stateOf = (client: Client, clientId: number) => client.provider.awareness.getStates().get(clientId) as Record<string, unknown> | undefined;

test("a client announcing another account's id and name is shown to others under its own account, and stays connected", async () => {
  const server = await startTestServer();
  cleanups.push(() => server.close());
  const ada = await server.signIn('Ada');
  const mallory = await server.signIn('Mallory');
  const { id } = await server.createDocument(ada.token);
  const watcher = stock(server, id, ada.token);
  const spoofer = stock(server, id, mallory.token);
  const [watcherCloses, spooferCloses] = [closeCodes(watcher), closeCodes(spoofer)];
  await Promise.all([synced(watcher), synced(spoofer)]);
  const spooferId = spoofer.doc.clientID;

  spoofer.provider.awareness.setLocalState({ user: { ...identityOf(ada.user), admin: true }, cursor: { anchor: 3, head: 7 } });
  await waitFor(() => stateOf(watcher, spooferId)?.cursor !== undefined, 5000, "the spoofer's state");
  expect(stateOf(watcher, spooferId)).toEqual({ user: identityOf(mallory.user), cursor: { anchor: 3, head: 7 } });
  const room = server.server.services.rooms.peek(id)!;
  expect(room.awareness.getStates().get(spooferId)).toEqual({ user: identityOf(mallory.user), cursor: { anchor: 3, head: 7 } });

  // A state with no user at all gets one; a state that is no object has nowhere to put it.
  spoofer.provider.awareness.setLocalState({ cursor: null });
  await waitFor(() => stateOf(watcher, spooferId)?.cursor === null, 5000, 'the state without a user');
  expect(stateOf(watcher, spooferId)).toEqual({ cursor: null, user: identityOf(mallory.user) });
  spoofer.provider.awareness.setLocalState(42 as never);
  await waitFor(() => (stateOf(watcher, spooferId) as unknown) === 42, 5000, 'the non-object state');

  // A rename shows in the next announcement, without reconnecting.
  const renamed = await server.request('/api/users/me', { method: 'PATCH', token: mallory.token, json: { name: 'Mallory M.' } });
  expect(renamed.status).toBe(200);
  spoofer.provider.awareness.setLocalState({ user: { name: 'Ada' }, typing: true });
  await waitFor(() => stateOf(watcher, spooferId)?.typing === true, 5000, 'the next announcement');
  expect(stateOf(watcher, spooferId)?.user).toEqual({ ...identityOf(mallory.user), name: 'Mallory M.' });

  expect(watcherCloses).toEqual([]);
  expect(spooferCloses).toEqual([]);
  expect(spoofer.provider.wsconnected).toBe(true);
});

test('stamping: the user is replaced or added in object states; removals, other JSON and exact announcements pass unchanged', () => {
  const user = { id: 'u1', name: 'Ada', color: '#e5484d' };
  const connection = { user: { ...user, email: 'ada@example.com', role: 'member' } } as unknown as Connection;
  const entry = (json: string, removes = false) => ({ clientId: 7, clock: 3, json, removes });
  const stamped = (json: string) => JSON.parse(stampUser(entry(json), connection).json);
  expect(stamped('{"user":{"id":"u2","name":"Bob","color":"#000000"},"cursor":1}')).toEqual({ user, cursor: 1 });
  expect(stamped('{"user":{"id":"u1","name":"Ada","color":"#e5484d","admin":true}}')).toEqual({ user });
  expect(stamped('{"user":"Ada"}')).toEqual({ user });
  expect(stamped('{}')).toEqual({ user });
  for (const unchanged of [entry('null', true), entry('42'), entry('"text"'), entry('[1,2]'), entry('not json'), entry(JSON.stringify({ user }))]) {
    expect(stampUser(unchanged, connection)).toBe(unchanged);
  }
});
