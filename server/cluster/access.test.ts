/**
 * Access changes across two instances on one PostgreSQL database and one Redis: a viewer on one
 * instance cannot write to peers on the other; a downgrade made on one instance turns the
 * other's connection read-only within a second; a revocation closes it with 4403; and an
 * activity stream on the other instance stops carrying the revoked document.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { createParser } from 'eventsource-parser';
import { CloseCode } from '../../shared/close-codes.ts';
import type { DocumentRole } from '../../shared/dto.ts';
import { createAccount, freePort, requestJson, spawnServer, type ChildServer } from '../test-support/child-server.ts';
import { closeCodes, connectClient, documentText, synced, tempDir, typeParagraph, waitFor, type Client } from '../test-support/harness.ts';
import { TEST_REDIS_URL, createTestDatabase } from '../test-support/postgres.ts';
import { requireRedis } from '../test-support/services.ts';

let instances: ChildServer[] = [];
const clients: Client[] = [];
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let dataDir: ReturnType<typeof tempDir>;
let ada: { token: string };
let bob: { token: string; id: string };

beforeAll(async () => {
  await requireRedis();
  database = await createTestDatabase();
  dataDir = tempDir('quire-cluster-access-');
  const env = { DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, SESSION_SECRET: 'cluster-access-secret-0123456789abcdef', REGISTRATION: 'open', ACTIVITY_IDLE_MS: '100' };
  instances = await Promise.all([0, 1].map(() => spawnServer({ dataDir: dataDir.path, port: freePort(), env })));
  await createAccount(instances[0]!.url, 'Root');
  ada = await createAccount(instances[0]!.url, 'Ada');
  const bobAccount = await createAccount(instances[0]!.url, 'Bob');
  bob = { token: bobAccount.token, id: bobAccount.user.id };
}, 30_000);

afterAll(async () => {
  for (const client of clients) client.destroy();
  await Promise.all(instances.map((instance) => instance.kill('SIGTERM')));
  await database.drop();
  dataDir.cleanup();
}, 30_000);

function client(instance: ChildServer, documentId: string, token: string): Client {
  const connected = connectClient(instance.wsUrl, documentId, token, { maxBackoffTime: 200 });
  clients.push(connected);
  return connected;
}

/** A private document of Ada's, made on instance 0, with Bob at `role`. */
async function document(role: DocumentRole | null): Promise<{ id: string; setBob(role: DocumentRole | null): Promise<void> }> {
  const { id } = await requestJson<{ id: string }>(instances[0]!.url, '/api/documents', { token: ada.token, json: { title: 'Across' } });
  const setBob = async (next: DocumentRole | null) => {
    await requestJson(instances[0]!.url, `/api/documents/${id}/access`, {
      method: 'PUT',
      token: ada.token,
      json: { general: { scope: 'private', role: 'viewer' }, grants: next ? [{ user: { id: bob.id }, role: next }] : [] },
    });
  };
  await setBob(role);
  return { id, setBob };
}

test("a viewer's edits on one instance reach neither the other instance's peers nor storage", async () => {
  const doc = await document('viewer');
  const alice = client(instances[0]!, doc.id, ada.token);
  const viewer = client(instances[1]!, doc.id, bob.token);
  await Promise.all([synced(alice), synced(viewer)]);
  typeParagraph(viewer.doc, 'viewer graffiti');
  typeParagraph(alice.doc, 'Ada writes');
  await waitFor(() => documentText(viewer.doc).includes('Ada writes'), 5000, "Ada's edit on the other instance");
  expect(documentText(alice.doc)).toBe('Ada writes');
  const content = await fetch(`${instances[1]!.url}/api/documents/${doc.id}/content?format=text`, { headers: { authorization: `Bearer ${ada.token}` } });
  expect((await content.text()).trim()).toBe('Ada writes');
});

test('a downgrade on one instance turns the other instance’s connection read-only within a second; a revocation closes it with 4403', async () => {
  const doc = await document('editor');
  const alice = client(instances[0]!, doc.id, ada.token);
  const editor = client(instances[1]!, doc.id, bob.token);
  const codes = closeCodes(editor);
  await Promise.all([synced(alice), synced(editor)]);
  typeParagraph(editor.doc, 'as an editor');
  await waitFor(() => documentText(alice.doc).includes('as an editor'), 5000, 'the editor’s edit across instances');

  await doc.setBob('viewer');
  const downgradedAt = performance.now();
  // Bob keeps typing, a paragraph every 50 ms; once the downgrade has arrived they stop reaching Ada.
  let typed = 0;
  const typedAt: number[] = [];
  const typing = setInterval(() => {
    typedAt.push(performance.now());
    typeParagraph(editor.doc, `after ${typed++}`);
  }, 50);
  try {
    await waitFor(() => typedAt.length > 0 && typedAt[typedAt.length - 1]! > downgradedAt + 1500, 10_000, 'typing after the downgrade');
  } finally {
    clearInterval(typing);
  }
  typeParagraph(alice.doc, 'probe');
  await waitFor(() => documentText(editor.doc).includes('probe'), 5000, 'the probe across instances');
  const reached = [...documentText(alice.doc).matchAll(/after (\d+)/g)].map((match) => Number(match[1]));
  const lastReached = reached.length === 0 ? -1 : Math.max(...reached);
  // Product goal: within a second; allowed 3× on a busy machine.
  if (lastReached >= 0) expect(typedAt[lastReached]!).toBeLessThan(downgradedAt + 3000);
  expect(lastReached).toBeLessThan(typed - 1);
  expect(codes).toEqual([]);

  const revokedAt = performance.now();
  await doc.setBob(null);
  await waitFor(() => codes.includes(CloseCode.forbidden), 3000, 'the 4403 close on the other instance');
  expect(performance.now() - revokedAt).toBeLessThan(3000);
}, 30_000);

test('an activity stream on the other instance stops carrying a document the moment its reader loses access', async () => {
  const doc = await document('viewer');
  const beacon = await document(null);
  await requestJson(instances[0]!.url, `/api/documents/${beacon.id}/access`, {
    method: 'PUT',
    token: ada.token,
    json: { general: { scope: 'workspace', role: 'viewer' }, grants: [] },
  });
  const abort = new AbortController();
  const response = await fetch(`${instances[1]!.url}/api/activity/stream`, { headers: { authorization: `Bearer ${bob.token}` }, signal: abort.signal });
  const titles: string[] = [];
  let open = false;
  const parser = createParser({
    onEvent: (event) => {
      const data = JSON.parse(event.data) as { documentTitle?: string; documentId: string };
      titles.push(event.event === 'access.revoked' ? `revoked ${data.documentId === doc.id ? 'doc' : data.documentId}` : data.documentTitle!);
    },
    onRetry: () => (open = true),
  });
  const reading = (async () => {
    const decoder = new TextDecoder();
    const reader = response.body!.getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } catch {
      // aborted at the end of the test
    }
  })();
  await waitFor(() => open, 5000, 'the stream to open');
  const rename = (id: string, title: string) => requestJson(instances[0]!.url, `/api/documents/${id}`, { method: 'PATCH', token: ada.token, json: { title } });
  await rename(doc.id, 'Seen');
  await waitFor(() => titles.includes('Seen'), 5000, 'the rename on the other instance');
  await doc.setBob(null);
  await rename(doc.id, 'Unseen');
  await rename(beacon.id, 'Beacon');
  await waitFor(() => titles.includes('Beacon'), 5000, 'the later event on the other instance');
  // Told on the other instance too that the document's past is no longer Bob's to see.
  expect(titles).toEqual(['Seen', 'revoked doc', 'Beacon']);
  abort.abort();
  await reading;
});
