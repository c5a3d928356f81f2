/**
 * A Redis outage, for real: a private redis-server is stopped and started again. Instances keep
 * serving their own connections, report degraded health, and resync once Redis is back.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { createAccount, freePort, spawnServer, type ChildServer } from '../test-support/child-server.ts';
import { connectClient, documentText, synced, tempDir, typeParagraph, waitFor, type Client } from '../test-support/harness.ts';
import { createTestDatabase } from '../test-support/postgres.ts';
import { programMissing } from '../test-support/services.ts';

const redisPort = freePort();
let redis: Bun.Subprocess | null = null;
let instances: ChildServer[] = [];
const clients: Client[] = [];
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let dataDir: ReturnType<typeof tempDir>;

async function startRedis(): Promise<void> {
  let child: Bun.Subprocess<'ignore', 'pipe', 'ignore'>;
  try {
    child = Bun.spawn(['redis-server', '--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdout: 'pipe',
      stderr: 'ignore',
    });
  } catch (error) {
    throw programMissing('redis-server', error);
  }
  redis = child;
  const reader = child.stdout.getReader();
  const decoder = new TextDecoder();
  let log = '';
  while (!log.includes('Ready to accept connections')) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`redis-server did not start: ${log}`);
    log += decoder.decode(value);
  }
  reader.releaseLock();
  // Drain the rest so redis never blocks on a full pipe.
  void child.stdout.pipeTo(new WritableStream());
}

async function stopRedis(): Promise<void> {
  redis?.kill('SIGKILL');
  await redis?.exited;
  redis = null;
}

async function health(instance: ChildServer): Promise<{ status: string }> {
  return (await fetch(`${instance.url}/healthz`)).json() as Promise<{ status: string }>;
}

beforeAll(async () => {
  await startRedis();
  database = await createTestDatabase();
  dataDir = tempDir('quire-redis-outage-');
  const env = { DATABASE_URL: database.url, REDIS_URL: `redis://127.0.0.1:${redisPort}`, SESSION_SECRET: 'redis-outage-secret-0123456789abcdef' };
  instances = await Promise.all([0, 1].map(() => spawnServer({ dataDir: dataDir.path, port: freePort(), env })));
}, 30_000);

afterAll(async () => {
  for (const c of clients) c.destroy();
  await Promise.all(instances.map((instance) => instance.kill('SIGTERM')));
  await stopRedis();
  await database.drop();
  dataDir.cleanup();
}, 30_000);

test('during an outage each instance serves its own clients; afterwards both converge', async () => {
  const post = (path: string, body: unknown, token?: string) =>
    fetch(instances[0]!.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    }).then((r) => r.json());
  const { token } = await createAccount(instances[0]!.url, 'Ada');
  const { id } = (await post('/api/documents', { title: 'Outage' }, token)) as { id: string };
  const open = (instance: ChildServer) => {
    const c = connectClient(instance.wsUrl, id, token);
    clients.push(c);
    return c;
  };
  const [a, aNeighbour, b] = [open(instances[0]!), open(instances[0]!), open(instances[1]!)];
  await Promise.all([a, aNeighbour, b].map((c) => synced(c)));
  typeParagraph(a.doc, 'before;');
  await waitFor(() => documentText(b.doc) === 'before;', 10_000, 'cross-instance edit before the outage');

  await stopRedis();
  await waitFor(async () => (await health(instances[0]!)).status === 'degraded', 10_000, 'degraded health');
  expect((await fetch(`${instances[1]!.url}/healthz`)).status).toBe(200);

  typeParagraph(a.doc, 'during on zero;');
  typeParagraph(b.doc, 'during on one;');
  // The neighbour on the same instance still gets edits at once.
  await waitFor(() => documentText(aNeighbour.doc).includes('during on zero;'), 10_000, 'local delivery during the outage');
  expect(documentText(b.doc)).not.toContain('during on zero;');

  await startRedis();
  await waitFor(async () => (await health(instances[0]!)).status === 'ok' && (await health(instances[1]!)).status === 'ok', 15_000, 'recovery');
  await waitFor(
    () => [a, aNeighbour, b].every((c) => documentText(c.doc).includes('during on zero;') && documentText(c.doc).includes('during on one;')),
    15_000,
    'resync after the outage',
  );
  expect(new Set([a, aNeighbour, b].map((c) => documentText(c.doc))).size).toBe(1);
}, 60_000);
