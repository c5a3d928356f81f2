/**
 * What an upgrade to `/sync/:documentId` is checked against before it happens: seats per
 * account (so one account never fills a document), rates per client address (as TRUST_PROXY
 * says to find it) and per account, and the Origin (scheme, host and port). Every refusal is
 * plain HTTP, so stock clients back off and retry instead of giving up.
 */
import { afterEach, expect, test } from 'bun:test';
import { SYNC_PATH } from '../../shared/protocol.ts';
import { closeCodes, connectClient, documentText, startTestServer, synced, typeParagraph, waitFor, type TestServer } from '../test-support/harness.ts';
import { openRawSync, upgradeStatus, type RawSync } from '../test-support/raw-socket.ts';
import { encodeQueryAwareness } from './protocol.ts';
import { UserSeats } from './user-seats.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serverWith(env: Record<string, string>): Promise<TestServer> {
  const server = await startTestServer({ env });
  cleanups.push(() => server.close());
  return server;
}

function raw(server: TestServer, documentId: string, token: string | null, headers: Record<string, string> = {}): RawSync {
  const socket = openRawSync(server.wsUrl, documentId, token, headers);
  cleanups.push(() => socket.socket.close());
  return socket;
}

/** Opens `count` sockets at once; resolves with those that opened. */
async function openMany(server: TestServer, documentId: string, token: string, count: number): Promise<RawSync[]> {
  const sockets = Array.from({ length: count }, () => raw(server, documentId, token));
  const opened = await Promise.all(sockets.map((socket) => socket.opened));
  return sockets.filter((_, index) => opened[index]);
}

const upgradeUrl = (server: TestServer, documentId: string, token?: string) =>
  `${server.url}${SYNC_PATH}/${documentId}${token ? `?token=${token}` : ''}`;

const PLENTY = { CONNECTIONS_PER_SECOND_PER_IP: '100000', CONNECTIONS_PER_SECOND_PER_USER: '100000' };

test('MAX_CONNECTIONS_PER_USER_PER_DOCUMENT: two hundred sockets at once from one account take only its seats; others still get in', async () => {
  const server = await serverWith({ ...PLENTY, MAX_CONNECTIONS_PER_DOCUMENT: '30', MAX_CONNECTIONS_PER_USER_PER_DOCUMENT: '5' });
  const mallory = (await server.signIn('Mallory')).token;
  const ada = (await server.signIn('Ada')).token;
  const { id } = await server.createDocument(ada);
  // All at once: seats are taken when an upgrade is accepted, so a burst cannot slip past the count.
  const held = await openMany(server, id, mallory, 200);
  expect(held.length).toBe(5);
  const refused = await upgradeStatus(upgradeUrl(server, id, mallory));
  expect(refused.status).toBe(429);
  expect(refused.headers.get('content-type')).toContain('application/problem+json');
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(((await refused.json()) as { detail: string }).detail).toContain('MAX_CONNECTIONS_PER_USER_PER_DOCUMENT');

  // Everyone else edits as usual, and the account's own sockets keep working.
  const [a, b] = [connectClient(server.wsUrl, id, ada), connectClient(server.wsUrl, id, ada)];
  cleanups.push(() => a.destroy(), () => b.destroy());
  const closes = [...closeCodes(a), ...closeCodes(b)];
  await Promise.all([synced(a), synced(b)]);
  typeParagraph(a.doc, 'the document is not locked');
  await waitFor(() => documentText(b.doc) === 'the document is not locked', 5000, 'the edit');
  expect(closes).toEqual([]);
  expect(held.every((socket) => socket.ending === null)).toBe(true);

  // A seat given back can be taken again; another document has seats of its own.
  held[0]!.socket.close();
  await held[0]!.closed;
  await waitFor(async () => (await openMany(server, id, mallory, 1)).length === 1, 5000, 'the freed seat');
  const other = await server.createDocument(mallory);
  expect((await openMany(server, other.id, mallory, 3)).length).toBe(3);
});

test('MAX_CONNECTIONS_PER_USER: seats across documents are capped too', async () => {
  const server = await serverWith({ ...PLENTY, MAX_CONNECTIONS_PER_USER_PER_DOCUMENT: '5', MAX_CONNECTIONS_PER_USER: '7' });
  const mallory = (await server.signIn('Mallory')).token;
  const documents = await Promise.all([1, 2, 3].map(() => server.createDocument(mallory)));
  expect((await openMany(server, documents[0]!.id, mallory, 5)).length).toBe(5);
  expect((await openMany(server, documents[1]!.id, mallory, 5)).length).toBe(2);
  const refused = await upgradeStatus(upgradeUrl(server, documents[2]!.id, mallory));
  expect(refused.status).toBe(429);
  expect(((await refused.json()) as { detail: string }).detail).toContain('MAX_CONNECTIONS_PER_USER)');
  const ada = (await server.signIn('Ada')).token;
  expect((await openMany(server, documents[2]!.id, ada, 2)).length).toBe(2); // seats are per account
});

test('a seat whose upgrade never opens is given back', async () => {
  const seats = new UserSeats(1, 10, 20);
  const abandoned = seats.reserve('u', 'd');
  expect(seats.reserve('u', 'd')).toBe('per-document');
  await Bun.sleep(50);
  expect(seats.count('u')).toBe(0);
  const opened = seats.reserve('u', 'd');
  if (typeof opened === 'string' || typeof abandoned === 'string') throw new Error('no seat');
  opened.claim();
  await Bun.sleep(50);
  expect(seats.count('u', 'd')).toBe(1);
  opened.release();
  opened.release();
  abandoned.release();
  expect(seats.count('u')).toBe(0);
});

/** Thirty upgrade attempts without a session, each from its own forwarded address: 401 passed the address limit, 429 did not. */
async function attemptsFrom(server: TestServer, documentId: string, forwardedFor: (attempt: number) => string): Promise<number[]> {
  const statuses: number[] = [];
  for (let attempt = 0; attempt < 30; attempt++) {
    statuses.push((await upgradeStatus(upgradeUrl(server, documentId), { 'x-forwarded-for': forwardedFor(attempt) })).status);
  }
  return statuses;
}

test('TRUST_PROXY unset: X-Forwarded-For is ignored, so thirty attempts with thirty made-up addresses share one bucket', async () => {
  const server = await serverWith({ CONNECTIONS_PER_SECOND_PER_IP: '5' });
  const { id } = await server.createDocument((await server.signIn('Ada')).token);
  const statuses = await attemptsFrom(server, id, (attempt) => `203.0.113.${attempt}`);
  // A burst of 10, and perhaps a token or two refilled meanwhile.
  expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(13);
  expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(17);
});

test('TRUST_PROXY=1: each forwarded address has its own bucket, and one that spoofs X-Forwarded-For only locks itself out', async () => {
  const server = await serverWith({ CONNECTIONS_PER_SECOND_PER_IP: '5', TRUST_PROXY: '1' });
  const { id } = await server.createDocument((await server.signIn('Ada')).token);
  expect(await attemptsFrom(server, id, (attempt) => `203.0.113.${attempt}`)).toEqual(Array(30).fill(401));
  // The attacker writes the victim's address into the header; the proxy appends the attacker's own.
  const spoofed = await attemptsFrom(server, id, () => '198.51.100.7, 192.0.2.66');
  expect(spoofed.filter((status) => status === 429).length).toBeGreaterThanOrEqual(17);
  // The victim is untouched, and so is anyone else.
  expect((await upgradeStatus(upgradeUrl(server, id), { 'x-forwarded-for': '198.51.100.7' })).status).toBe(401);
  expect((await upgradeStatus(upgradeUrl(server, id), { 'x-forwarded-for': 'junk, 198.51.100.8' })).status).toBe(401);
});

test('CONNECTIONS_PER_SECOND_PER_USER: an account coming from many addresses is limited as one; other accounts are not', async () => {
  const server = await serverWith({ TRUST_PROXY: '1', CONNECTIONS_PER_SECOND_PER_IP: '100000', CONNECTIONS_PER_SECOND_PER_USER: '2' });
  const mallory = (await server.signIn('Mallory')).token;
  const ada = (await server.signIn('Ada')).token;
  const { id } = await server.createDocument(ada);
  const sockets = Array.from({ length: 12 }, (_, index) => raw(server, id, mallory, { 'x-forwarded-for': `203.0.113.${index}` }));
  const opened = (await Promise.all(sockets.map((socket) => socket.opened))).filter(Boolean).length;
  expect(opened).toBeGreaterThanOrEqual(4); // a burst of twice the rate
  expect(opened).toBeLessThanOrEqual(5);
  const refused = await upgradeStatus(upgradeUrl(server, id, mallory), { 'x-forwarded-for': '203.0.113.99' });
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  const fromSameAddresses = Array.from({ length: 3 }, (_, index) => raw(server, id, ada, { 'x-forwarded-for': `203.0.113.${index}` }));
  expect(await Promise.all(fromSameAddresses.map((socket) => socket.opened))).toEqual([true, true, true]);
});

test('MESSAGES_PER_SECOND_PER_USER: one account flooding over several connections gets 4429; another account on the document is unaffected', async () => {
  const server = await serverWith({ MESSAGES_PER_SECOND: '1000', MESSAGES_PER_SECOND_PER_USER: '20' });
  const mallory = (await server.signIn('Mallory')).token;
  const ada = (await server.signIn('Ada')).token;
  const { id } = await server.createDocument(ada);
  const [a, b] = [connectClient(server.wsUrl, id, ada), connectClient(server.wsUrl, id, ada)];
  cleanups.push(() => a.destroy(), () => b.destroy());
  const closes = [...closeCodes(a), ...closeCodes(b)];
  await Promise.all([synced(a), synced(b)]);
  const floods = [raw(server, id, mallory), raw(server, id, mallory), raw(server, id, mallory)];
  await Promise.all(floods.map((socket) => socket.nextFrame()));
  // Each connection stays far below its own rate; together they pass the account's (bursts of 40).
  for (let round = 0; round < 20; round++) for (const socket of floods) socket.send(encodeQueryAwareness());
  await waitFor(() => floods.some((socket) => socket.ending !== null), 5000, 'a flooding connection to be closed');
  expect(floods.find((socket) => socket.ending !== null)!.ending!.code).toBe(4429);
  typeParagraph(a.doc, 'unaffected');
  await waitFor(() => documentText(b.doc) === 'unaffected', 5000, 'the edit');
  expect(closes).toEqual([]);
});

test('the Origin check compares scheme, host and port with the server\'s own origin (PUBLIC_URL, and a trusted proxy\'s scheme, count)', async () => {
  const server = await serverWith({ PUBLIC_URL: 'https://docs.example.com' });
  const { id } = await server.createDocument((await server.signIn('Ada')).token);
  const own = new URL(server.url);
  const status = async (origin: string, headers: Record<string, string> = {}) =>
    (await upgradeStatus(upgradeUrl(server, id), { origin, ...headers })).status;
  // 401: the origin passed and the missing session was noticed next; 403: the origin was refused.
  expect(await status(own.origin)).toBe(401);
  expect(await status(`https://${own.host}`)).toBe(403);
  expect(await status(`http://${own.hostname}:${Number(own.port) + 1}`)).toBe(403);
  expect(await status('https://docs.example.com')).toBe(401);
  expect(await status('http://docs.example.com')).toBe(403);
  expect(await status('https://docs.example.com:8443')).toBe(403);
  expect(await status('https://evil.example')).toBe(403);
  // Without TRUST_PROXY a forwarded scheme is not believed.
  expect(await status(`https://${own.host}`, { 'x-forwarded-proto': 'https' })).toBe(403);
  const proxied = await serverWith({ TRUST_PROXY: '1' });
  const { id: proxiedId } = await proxied.createDocument((await proxied.signIn('Ada')).token);
  const proxiedHost = new URL(proxied.url).host;
  const proxiedStatus = async (origin: string, headers: Record<string, string> = {}) =>
    (await upgradeStatus(upgradeUrl(proxied, proxiedId), { origin, ...headers })).status;
  expect(await proxiedStatus(`https://${proxiedHost}`, { 'x-forwarded-proto': 'https' })).toBe(401);
  expect(await proxiedStatus(`https://${proxiedHost}`)).toBe(403);
});
