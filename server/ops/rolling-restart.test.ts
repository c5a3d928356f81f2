/**
 * Behind the README's nginx, two instances over PostgreSQL and Redis. Rate limits see each
 * client's own address through X-Forwarded-For with TRUST_PROXY=1, and only then. A rolling
 * restart (SIGTERM to each instance in turn, which drains and exits 0) while two stock clients
 * type loses nothing: every typed paragraph arrives, once, and no client is told to give up.
 * The tests run in order on one cluster: the restart also turns TRUST_PROXY off, as an operator
 * changing a setting would.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { TERMINAL_CLOSE_CODES } from '../../shared/close-codes.ts';
import { createAccount } from '../test-support/child-server.ts';
import { closeCodes, documentText, synced, typeParagraph, waitFor, type Client } from '../test-support/harness.ts';
import { startProxiedCluster, type ProxiedCluster } from '../test-support/proxied-cluster.ts';

/** Sign-in attempts per client address per minute, per instance (a burst of this many). */
const SIGN_INS = 4;
let cluster: ProxiedCluster;
const clients: Client[] = [];
beforeAll(async () => {
  cluster = await startProxiedCluster({ SESSIONS_PER_MINUTE_PER_IP: String(SIGN_INS) });
}, 60_000);
afterAll(async () => {
  for (const client of clients) client.destroy();
  await cluster?.close();
}, 30_000);

/** Statuses of `count` sign-ins with unknown emails (no per-account throttle) from one loopback address. */
async function signInsFrom(localAddress: string, count: number, headers: Record<string, string> = {}): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const email = `nobody-${crypto.randomUUID().slice(0, 8)}@test.example`;
    statuses.push((await cluster.requestFrom(localAddress, '/api/session', { method: 'POST', json: { email, password: 'not the password' }, headers })).status);
  }
  return statuses;
}

test('TRUST_PROXY=1: each client address has its own sign-in budget, and a forged X-Forwarded-For does not buy another', async () => {
  // nginx takes turns, so each instance sees half: 3 × SIGN_INS attempts exhaust both.
  const greedy = await signInsFrom('127.0.0.2', 3 * SIGN_INS);
  expect(greedy.filter((status) => status === 429).length).toBeGreaterThanOrEqual(SIGN_INS);
  expect(await signInsFrom('127.0.0.2', 2, { 'x-forwarded-for': '198.51.100.9' })).toEqual([429, 429]);
  expect(await signInsFrom('127.0.0.3', 2)).toEqual([401, 401]);
}, 30_000);

test('a rolling restart while two stock clients type loses nothing; clients only ever see going-away closes', async () => {
  const { token } = await createAccount(cluster.instances[0]!.child.url, 'Typist');
  const response = await cluster.fetch('/api/documents', { method: 'POST', token, json: { title: 'Rolling' } });
  const { id } = (await response.json()) as { id: string };
  const [a, b] = [cluster.connect(id, token), cluster.connect(id, token)];
  clients.push(a, b);
  const codes = [closeCodes(a), closeCodes(b)];
  await Promise.all([synced(a), synced(b)]);

  const typed = { a: 0, b: 0 };
  let typing = true;
  const startedAt = performance.now();
  const loop = (async () => {
    // Bounded: at most 1,500 paragraphs each and 60 s, whatever happens to the restarts.
    while (typing && typed.a < 1500 && performance.now() - startedAt < 60_000) {
      typeParagraph(a.doc, `a${typed.a++};`);
      typeParagraph(b.doc, `b${typed.b++};`);
      await Bun.sleep(20); // a typist's pace
    }
  })();
  for (const index of [0, 1]) {
    await waitFor(() => typed.a >= 10 * (index + 1), 10_000, 'some typing on the way');
    // Restarted without TRUST_PROXY, for the next test.
    await cluster.restart(index, { TRUST_PROXY: undefined });
  }
  await waitFor(() => a.provider.synced && b.provider.synced, 10_000, 'both clients to be connected again');
  typing = false;
  await loop;

  const expected = [...Array.from({ length: typed.a }, (_, i) => `a${i}`), ...Array.from({ length: typed.b }, (_, i) => `b${i}`)].sort();
  const paragraphs = (client: Client) => documentText(client.doc).split(';').filter((part) => part !== '').sort();
  await waitFor(() => paragraphs(a).length === expected.length && paragraphs(b).length === expected.length, 20_000, 'every paragraph on both clients');
  expect(paragraphs(a)).toEqual(expected);
  expect(paragraphs(b)).toEqual(expected);
  const reader = cluster.connect(id, token);
  clients.push(reader);
  await synced(reader);
  expect(paragraphs(reader)).toEqual(expected);

  // Each client lost its instance at least once; every close was one to reconnect after.
  for (const seen of codes) {
    expect(seen.length).toBeGreaterThanOrEqual(1);
    for (const code of seen) expect(TERMINAL_CLOSE_CODES.has(code)).toBe(false);
    expect(seen.filter((code) => code === 1001 || code === 1012).length).toBeGreaterThanOrEqual(1);
  }
}, 120_000);

test('without TRUST_PROXY every client is the proxy: one address exhausting the budget refuses the others', async () => {
  await signInsFrom('127.0.0.2', 3 * SIGN_INS);
  expect(await signInsFrom('127.0.0.3', 2)).toEqual([429, 429]);
}, 30_000);
