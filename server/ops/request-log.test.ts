/**
 * Structured logs of a real child server at LOG_LEVEL=debug, through a session that touches
 * every kind of secret: every line is JSON, every request line carries the id the response
 * announced (a socket's lines the id of its upgrade), and no line holds a password, a token, an
 * invite code or document content.
 */
import { afterEach, expect, test } from 'bun:test';
import { createAccount, CHILD_PASSWORD, freePort, requestJson, spawnServer } from '../test-support/child-server.ts';
import { CloseCode } from '../../shared/close-codes.ts';
import { encodeSyncUpdate } from '../sync/protocol.ts';
import { connectClient, documentText, synced, tempDir, typeParagraph, waitFor } from '../test-support/harness.ts';
import { openRawSync } from '../test-support/raw-socket.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

test('every log line is JSON with the request id; none carries a password, token, invite code or document content', async () => {
  const dir = tempDir('quire-logs-');
  cleanups.push(() => dir.cleanup());
  const lines: string[] = [];
  const METRICS_TOKEN = 'metrics-token-4f1c9e0b7a';
  const child = await spawnServer({ dataDir: dir.path, port: freePort(), env: { LOG_LEVEL: 'debug', TRUST_PROXY: '1', METRICS_TOKEN }, logLines: lines });
  cleanups.push(() => child.kill());

  const admin = await createAccount(child.url, 'Ada');
  const { code } = await requestJson<{ code: string }>(child.url, '/api/invites', { json: { role: 'member' }, token: admin.token });
  expect((await fetch(`${child.url}/api/invites/${code}`)).status).toBe(200);
  const bob = await createAccount(child.url, 'Bob', { invite: code });
  const wrongPassword = 'not-the-password-7d2e';
  expect((await fetch(`${child.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: bob.email, password: wrongPassword }) })).status).toBe(401);
  const created = 'created-content-91b3';
  const { id } = await requestJson<{ id: string }>(child.url, '/api/documents', {
    json: { title: 'Log test', content: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: created }] }] } },
    token: admin.token,
  });
  // A proxy's request id is adopted (TRUST_PROXY); a bad token in the query is refused and not logged.
  const traced = await fetch(`${child.url}/api/documents/${id}?token=query-token-5a6b`, { headers: { authorization: `Bearer ${bob.token}`, 'x-request-id': 'proxy-id-0123456789' } });
  expect(traced.headers.get('x-request-id')).toBe('proxy-id-0123456789');
  const minted = await fetch(`${child.url}/healthz`);
  const mintedId = minted.headers.get('x-request-id')!;
  expect(mintedId).toMatch(/^[0-9a-f-]{36}$/);
  expect((await fetch(`${child.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(200);

  const typed = 'typed-content-c4d8';
  const client = connectClient(child.wsUrl, id, bob.token);
  cleanups.push(() => client.destroy());
  await synced(client);
  typeParagraph(client.doc, typed);
  const reader = connectClient(child.wsUrl, id, admin.token);
  cleanups.push(() => reader.destroy());
  await waitFor(() => documentText(reader.doc).includes(typed), 5000, 'the typed text to reach the reader');
  // A socket's lines carry the id of the upgrade request that opened it (a proxy's, here), its document and account.
  const socket = openRawSync(child.wsUrl, id, bob.token, { 'x-request-id': 'socket-id-0123456789' });
  cleanups.push(() => socket.socket.close());
  expect(await socket.opened).toBe(true);
  socket.send(encodeSyncUpdate(Uint8Array.from([9, 9, 9, 9])));
  expect((await socket.closed).code).toBe(CloseCode.malformed);
  // A refused request is logged as any other.
  expect((await fetch(`${child.url}/api/documents/${crypto.randomUUID()}/content`, { headers: { authorization: `Bearer ${admin.token}` } })).status).toBe(404);

  client.destroy();
  reader.destroy();
  child.process.kill('SIGTERM');
  expect(await child.exited).toBe(0);

  const entries = lines.filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(entries.length).toBeGreaterThan(10);
  const requests = entries.filter((entry) => entry.msg === 'request');
  for (const entry of requests) expect(entry.requestId).toEqual(expect.any(String));
  expect(requests).toContainEqual(expect.objectContaining({ requestId: 'proxy-id-0123456789', route: '/api/documents/:id', documentId: id, status: 200 }));
  expect(requests).toContainEqual(expect.objectContaining({ requestId: mintedId, route: '/healthz', level: 'debug' }));
  expect(requests).toContainEqual(expect.objectContaining({ route: '/sync/:documentId', documentId: id, status: 101 }));
  expect(requests).toContainEqual(expect.objectContaining({ route: '/api/invites/:code', status: 200 }));
  expect(requests).toContainEqual(expect.objectContaining({ route: '/api/session', status: 401 }));
  expect(new Set(requests.map((entry) => entry.requestId)).size).toBe(requests.length);
  expect(entries).toContainEqual(expect.objectContaining({ msg: 'rejected a malformed message', requestId: 'socket-id-0123456789', documentId: id, userId: bob.user.id }));

  const secrets = [CHILD_PASSWORD, wrongPassword, admin.token, bob.token, 'query-token-5a6b', code, METRICS_TOKEN, created, typed];
  for (const line of lines) for (const secret of secrets) expect(line).not.toContain(secret);
}, 30_000);
