/** The stock y-websocket client against a real server: convergence, late joiners, awareness, refusals. */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { CloseCode } from '../../shared/close-codes.ts';
import {
  connectClient,
  documentText,
  startTestServer,
  synced,
  typeParagraph,
  waitFor,
  type Client,
  type TestServer,
} from '../test-support/harness.ts';

let server: TestServer;
let token: string;
const clients: Client[] = [];

function client(documentId: string, as = token): Client {
  const connected = connectClient(server.wsUrl, documentId, as);
  clients.push(connected);
  return connected;
}

/** Opens a raw WebSocket and resolves with how it ended: the upgrade refused, or a close code. */
function rawOutcome(url: string): Promise<{ opened: boolean; code: number }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url);
    let opened = false;
    socket.onopen = () => (opened = true);
    socket.onclose = (event) => resolve({ opened, code: event.code });
  });
}

beforeEach(async () => {
  server = await startTestServer();
  token = (await server.signIn('Ada')).token;
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await server.close();
});

describe('sync with the stock WebsocketProvider', () => {
  test('two clients converge on concurrent edits', async () => {
    const { id } = await server.createDocument(token);
    const a = client(id);
    const b = client(id);
    await Promise.all([synced(a), synced(b)]);
    typeParagraph(a.doc, 'from a');
    typeParagraph(b.doc, 'from b');
    await waitFor(() => documentText(a.doc).length === 12 && documentText(b.doc).length === 12, 5000, 'both edits');
    expect(documentText(a.doc)).toBe(documentText(b.doc));
    expect(documentText(a.doc)).toContain('from a');
    expect(documentText(a.doc)).toContain('from b');
  });

  test('a late joiner receives the full state', async () => {
    const { id } = await server.createDocument(token);
    const writer = client(id);
    await synced(writer);
    for (let i = 0; i < 20; i++) typeParagraph(writer.doc, `line ${i};`);
    const expected = documentText(writer.doc);
    const observer = client(id);
    await waitFor(() => documentText(observer.doc) === expected, 5000, 'late joiner state');
  });

  test('awareness reaches the other client and is removed when its owner disconnects', async () => {
    const { id } = await server.createDocument(token);
    const a = client(id);
    const b = client(id);
    await Promise.all([synced(a), synced(b)]);
    a.provider.awareness.setLocalStateField('user', { name: 'Ada', color: '#f00' });
    const aId = a.doc.clientID;
    await waitFor(() => (b.provider.awareness.getStates().get(aId) as { user?: { name: string } } | undefined)?.user?.name === 'Ada');
    a.destroy();
    await waitFor(() => !b.provider.awareness.getStates().has(aId), 5000, 'awareness removal');
  });

  test('edits survive a server restart', async () => {
    const { id } = await server.createDocument(token);
    const writer = client(id);
    await synced(writer);
    typeParagraph(writer.doc, 'durable words');
    const dataDir = server.dataDir;
    // Wait until the server has it (the write is committed before it is acknowledged to anyone).
    const observer = client(id);
    await waitFor(() => documentText(observer.doc) === 'durable words');
    for (const c of clients.splice(0)) c.destroy();
    await server.close({ keepData: true });
    server = await startTestServer({ dataDir });
    const reader = client(id);
    await waitFor(() => documentText(reader.doc) === 'durable words', 5000, 'state after restart');
  });

  test('a client without a session is refused with 401 before the upgrade', async () => {
    const { id } = await server.createDocument(token);
    const withoutToken = await rawOutcome(`${server.wsUrl}/sync/${id}`);
    expect(withoutToken.opened).toBe(false);
    const response = await fetch(`${server.url}/sync/${id}`, { headers: { upgrade: 'websocket', connection: 'upgrade', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13' } });
    expect(response.status).toBe(401);
    const forged = await fetch(`${server.url}/sync/${id}?token=${token.slice(0, -2)}xx`, { headers: { upgrade: 'websocket', connection: 'upgrade', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13' } });
    expect(forged.status).toBe(401);
  });

  test('a connection to an unknown document is refused with 404', async () => {
    const response = await fetch(`${server.url}/sync/no-such-document?token=${token}`, {
      headers: { upgrade: 'websocket', connection: 'upgrade', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13' },
    });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });

  test('deleting a document closes its open connections with 4404 and later ones are refused', async () => {
    const { id } = await server.createDocument(token);
    const socket = new WebSocket(`${server.wsUrl}/sync/${id}?token=${token}`);
    socket.binaryType = 'arraybuffer';
    const closed = new Promise<number>((resolve) => (socket.onclose = (event) => resolve(event.code)));
    await new Promise((resolve) => (socket.onopen = resolve));
    const response = await server.request(`/api/documents/${id}`, { method: 'DELETE', token });
    expect(response.status).toBe(204);
    expect(await closed).toBe(CloseCode.notFound);
    const again = await rawOutcome(`${server.wsUrl}/sync/${id}?token=${token}`);
    expect(again.opened).toBe(false);
  });

  test('a document is released from memory when its last connection leaves', async () => {
    const { id } = await server.createDocument(token);
    const a = client(id);
    await synced(a);
    typeParagraph(a.doc, 'bye');
    expect(server.server.services.rooms.peek(id)).not.toBeNull();
    a.destroy();
    await waitFor(() => server.server.services.rooms.size === 0, 5000, 'room release');
    const again = client(id);
    await waitFor(() => documentText(again.doc) === 'bye');
  });

  test('a lone, silent client keeps hearing from the server, so its 30 s liveness timer never fires', async () => {
    const quick = await startTestServer({ env: { SYNC_KEEPALIVE_MS: '300' } });
    try {
      const { token: lone } = await quick.signIn('Lone');
      const { id } = await quick.createDocument(lone);
      const alone = connectClient(quick.wsUrl, id, lone);
      clients.push(alone);
      await synced(alone);
      // No awareness of its own: nothing the client sends would be echoed back.
      alone.provider.awareness.setLocalState(null);
      const provider = alone.provider as unknown as { wsLastMessageReceived: number };
      const heardAt = [provider.wsLastMessageReceived];
      await waitFor(() => {
        if (provider.wsLastMessageReceived !== heardAt[heardAt.length - 1]) heardAt.push(provider.wsLastMessageReceived);
        return heardAt.length >= 4;
      }, 5000, 'three keep-alives');
      expect(alone.provider.wsconnected).toBe(true);
    } finally {
      await quick.close();
    }
  });
});
