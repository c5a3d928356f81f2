/**
 * Access on the sync socket, with stock y-websocket clients: a viewer receives everything but
 * what it types reaches neither storage nor any peer; it is told once that it is read-only;
 * access changes reach open connections at once (downgrade mid-typing, promotion without a
 * reconnect, revocation closing with 4403); a secret link opens a read-only connection without
 * an account, and a reset link closes it; no read access refuses the upgrade like a missing document.
 */
import { afterEach, expect, test } from 'bun:test';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CloseCode } from '../../shared/close-codes.ts';
import type { DocumentAccess, DocumentRole } from '../../shared/dto.ts';
import { MessageType, READ_ONLY_REASON, ROLE_MESSAGE_TYPE } from '../../shared/protocol.ts';
import { closeCodes, documentText, startTestServer, synced, typeParagraph, waitFor, type Client, type TestServer } from '../test-support/harness.ts';
import { openRawSync } from '../test-support/raw-socket.ts';
import { decodeMessage } from './protocol.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A stock client with any query parameters (a token, a `share` link token). */
function stockClient(server: TestServer, documentId: string, params: Record<string, string>): Client {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${server.wsUrl}/sync`, documentId, doc, { params, disableBc: true, maxBackoffTime: 200 });
  const client = { doc, provider, destroy: () => (provider.destroy(), doc.destroy()) };
  cleanups.push(client.destroy);
  return client;
}

interface Scene {
  server: TestServer;
  documentId: string;
  alice: { token: string };
  bob: { token: string; id: string };
  /** Alice sets Bob's role (null removes his grant); the document stays private. */
  setBob(role: DocumentRole | null): Promise<DocumentAccess>;
}

/** Alice owns a private document; Bob is in the workspace, with `bobRole` on it. */
async function scene(bobRole: DocumentRole | null): Promise<Scene> {
  const server = await startTestServer();
  cleanups.push(() => server.close());
  const alice = await server.signIn('Alice');
  const bob = await server.signIn('Bob');
  const { id: documentId } = await server.createDocument(alice.token, { title: 'Plans' });
  const setBob = async (role: DocumentRole | null) => {
    const grants = role ? [{ user: { id: bob.user.id }, role }] : [];
    const response = await server.request(`/api/documents/${documentId}/access`, {
      method: 'PUT',
      token: alice.token,
      json: { general: { scope: 'private', role: 'viewer' }, grants },
    });
    expect(response.status).toBe(200);
    return (await response.json()) as DocumentAccess;
  };
  await setBob(bobRole);
  return { server, documentId, alice, bob: { token: bob.token, id: bob.user.id }, setBob };
}

/** The document's text as the server renders it (the open room's state, else storage). */
async function serverText(s: Scene): Promise<string> {
  const response = await s.server.request(`/api/documents/${s.documentId}/content?format=text`, { token: s.alice.token });
  return (await response.text()).replace(/\s+/g, ' ').trim();
}

test("a viewer's edits reach neither storage nor any peer; it still receives every edit and is told once that it is read-only", async () => {
  const s = await scene('viewer');
  const alice = stockClient(s.server, s.documentId, { token: s.alice.token });
  const bob = stockClient(s.server, s.documentId, { token: s.bob.token });
  await Promise.all([synced(alice), synced(bob)]);
  expect(closeCodes(bob)).toEqual([]);

  typeParagraph(bob.doc, 'Bob was here');
  typeParagraph(alice.doc, 'Alice writes');
  await waitFor(() => documentText(bob.doc).includes('Alice writes'), 5000, "Alice's edit at the viewer");
  // Alice's edit came after Bob's in time; it reached Bob, so Bob's would have reached Alice by now.
  expect(documentText(alice.doc)).toBe('Alice writes');
  expect(await serverText(s)).toBe('Alice writes');
  expect(bob.provider.wsconnected).toBe(true);

  // And nothing of it was stored: a fresh reader after every connection left sees only Alice's.
  alice.destroy();
  bob.destroy();
  await waitFor(() => s.server.server.services.rooms.size === 0, 5000, 'the room to be released');
  const rows = await s.server.server.services.store.loadUpdates(s.documentId);
  const stored = new Y.Doc();
  for (const row of rows) Y.applyUpdate(stored, row.data);
  expect(documentText(stored)).toBe('Alice writes');

  // The protocol's own message says why, once, as soon as the viewer joins.
  const raw = openRawSync(s.server.wsUrl, s.documentId, s.bob.token);
  cleanups.push(() => raw.socket.close());
  await waitFor(() => raw.received.length >= 2, 5000, 'the greeting');
  const auth = raw.received.map((frame) => decodeMessage(frame)).filter((message) => message.type === 'auth');
  expect(auth).toEqual([{ type: 'auth', subType: 0, reason: READ_ONLY_REASON }]);
}, 20_000);

test('a downgrade while typing stops further writes at once; the stock client keeps its text, and sends it once promoted again', async () => {
  const s = await scene('editor');
  const alice = stockClient(s.server, s.documentId, { token: s.alice.token });
  const bob = stockClient(s.server, s.documentId, { token: s.bob.token });
  const bobCloses = closeCodes(bob);
  await Promise.all([synced(alice), synced(bob)]);

  // Bob types a numbered word every 20 ms; each is stamped with when he typed it.
  const typedAt: number[] = [];
  const text = bob.doc.getXmlFragment('default');
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText('')]);
  text.insert(0, [paragraph]);
  const typing = setInterval(() => {
    typedAt.push(performance.now());
    (paragraph.get(0) as Y.XmlText).insert((paragraph.get(0) as Y.XmlText).length, `w${typedAt.length - 1} `);
  }, 20);
  cleanups.push(() => clearInterval(typing));
  await waitFor(() => documentText(alice.doc).includes('w10 '), 5000, "Bob's typing at Alice");

  await s.setBob('viewer');
  const downgradedAt = performance.now();
  // Keep typing for 1.5 s after the downgrade, then stop.
  await waitFor(() => typedAt.length > 0 && typedAt[typedAt.length - 1]! > downgradedAt + 1500, 10_000, 'typing after the downgrade');
  clearInterval(typing);
  const lastTyped = typedAt.length - 1;

  // Alice's copy settles; the server's answers are in order, so a probe edit from Alice marks the end.
  typeParagraph(alice.doc, 'probe');
  await waitFor(async () => (await serverText(s)).includes('probe'), 5000, 'the probe');
  const received = [...documentText(alice.doc).matchAll(/w(\d+) /g)].map((match) => Number(match[1]));
  const lastReceived = Math.max(...received);
  // Product goal: within a second. Allowed 3× on a busy machine; on this instance it is immediate.
  expect(typedAt[lastReceived]!).toBeLessThan(downgradedAt + 3000);
  expect(lastReceived).toBeLessThan(lastTyped);
  expect(await serverText(s)).not.toContain(`w${lastTyped} `);
  // Bob's own copy keeps everything he typed: a stock client does not roll back.
  expect(documentText(bob.doc)).toContain(`w${lastTyped} `);
  expect(bobCloses).toEqual([]);

  // Promoted again without a reconnect: his next edit is accepted, and the server asks for what it
  // lacks, so the words he typed as a viewer arrive with it.
  await s.setBob('editor');
  typeParagraph(bob.doc, 'promoted');
  await waitFor(() => documentText(alice.doc).includes('promoted'), 5000, "Bob's edit after the promotion");
  await waitFor(() => documentText(alice.doc).includes(`w${lastTyped} `), 5000, 'the words typed as a viewer');
  expect(bobCloses).toEqual([]);
}, 30_000);

test('revoking read access closes the connection with 4403, and the stock client does not come back', async () => {
  const s = await scene('editor');
  const bob = stockClient(s.server, s.documentId, { token: s.bob.token });
  const codes = closeCodes(bob);
  await synced(bob);
  const revokedAt = performance.now();
  await s.setBob(null);
  await waitFor(() => codes.includes(CloseCode.forbidden), 3000, 'the 4403 close');
  expect(performance.now() - revokedAt).toBeLessThan(3000);
  // The upgrade itself is now refused like a missing document.
  const raw = openRawSync(s.server.wsUrl, s.documentId, s.bob.token);
  expect(await raw.opened).toBe(false);
  expect(codes.filter((code) => code === CloseCode.forbidden)).toHaveLength(1);
  expect(bob.provider.shouldConnect).toBe(false);
  expect(bob.provider.wsconnected).toBe(false);
});

test('a secret link opens a read-only connection without an account, with presence; a reset link closes it', async () => {
  const s = await scene(null);
  const access = (await (
    await s.server.request(`/api/documents/${s.documentId}/access`, {
      method: 'PUT',
      token: s.alice.token,
      json: { general: { scope: 'link', role: 'editor' }, grants: [] },
    })
  ).json()) as DocumentAccess;
  const share = access.link!.split('/s/')[1]!;
  const alice = stockClient(s.server, s.documentId, { token: s.alice.token });
  const guest = stockClient(s.server, s.documentId, { share });
  const codes = closeCodes(guest);
  await Promise.all([synced(alice), synced(guest)]);
  typeParagraph(alice.doc, 'for everyone with the link');
  await waitFor(() => documentText(guest.doc) === 'for everyone with the link', 5000, 'the edit at the guest');
  // Presence both ways: the guest sees Alice, and Alice sees a guest (never an account it is not).
  alice.provider.awareness.setLocalStateField('cursor', { at: 1 });
  guest.provider.awareness.setLocalStateField('cursor', { at: 2 });
  await waitFor(() => [...alice.provider.awareness.getStates().values()].some((state) => state.user?.name === 'Guest'), 5000, 'the guest at Alice');
  await waitFor(() => [...guest.provider.awareness.getStates().values()].some((state) => state.user?.name === 'Alice'), 5000, 'Alice at the guest');
  // Without an account the link gives viewer at most, though it says editor.
  typeParagraph(guest.doc, 'anonymous graffiti');
  typeParagraph(alice.doc, 'after');
  await waitFor(() => documentText(guest.doc).includes('after'), 5000, 'the second edit at the guest');
  expect(documentText(alice.doc)).not.toContain('graffiti');

  await s.server.request(`/api/documents/${s.documentId}/access/link`, { method: 'POST', token: s.alice.token });
  await waitFor(() => codes.includes(CloseCode.forbidden), 3000, 'the 4403 close of the old link');
  expect(await openRawSync(s.server.wsUrl, s.documentId, null, {}).opened).toBe(false);
});

test('without read access the upgrade is refused exactly like a missing document; Quire clients get role messages', async () => {
  const s = await scene(null);
  const refused = await fetch(`${s.server.url}/sync/${s.documentId}?token=${s.bob.token}`, { headers: { upgrade: 'websocket', connection: 'upgrade', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13' } });
  const missing = await fetch(`${s.server.url}/sync/no-such-document?token=${s.bob.token}`, { headers: { upgrade: 'websocket', connection: 'upgrade', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13' } });
  expect(refused.status).toBe(404);
  expect(missing.status).toBe(404);
  expect((await refused.text()).replace(s.documentId, 'ID')).toBe((await missing.text()).replace('no-such-document', 'ID'));

  await s.setBob('viewer');
  const raw = openRawSync(s.server.wsUrl, `${s.documentId}`, null);
  raw.socket.close();
  const quire = new WebSocket(`${s.server.wsUrl}/sync/${s.documentId}?token=${s.bob.token}&roles=1`);
  quire.binaryType = 'arraybuffer';
  const roles: string[] = [];
  quire.addEventListener('message', (event) => {
    const frame = new Uint8Array(event.data as ArrayBuffer);
    if (frame[0] === ROLE_MESSAGE_TYPE) roles.push(new TextDecoder().decode(frame.subarray(2)));
    if (frame[0] === MessageType.auth) roles.push('auth');
  });
  cleanups.push(() => quire.close());
  await waitFor(() => roles.length >= 2, 5000, 'the first role message');
  expect(roles).toEqual(['auth', 'viewer']);
  await s.setBob('editor');
  await waitFor(() => roles.length >= 3, 3000, 'the promotion');
  await s.setBob('viewer');
  await waitFor(() => roles.length >= 5, 3000, 'the downgrade');
  expect(roles).toEqual(['auth', 'viewer', 'editor', 'auth', 'viewer']);
});
