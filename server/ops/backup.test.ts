/**
 * `npm run backup` while stock clients type into three documents, then `npm run restore` into a
 * fresh data directory (SQLite) or database (PostgreSQL) and a fresh server on it: every
 * document holds what its readers had seen when the backup began, or more, and nothing that was
 * not typed. Restores refuse a target that is not empty.
 */
import { afterEach, expect, test } from 'bun:test';
import { join } from 'node:path';
import { createTestDatabase } from '../test-support/postgres.ts';
import { connectClient, documentText, startTestServer, synced, tempDir, typeParagraph, waitFor, type Client, type TestServer } from '../test-support/harness.ts';
import { runScript } from '../test-support/scripts.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const DOCUMENTS = 3;
/** Bounds of the typing load: paragraphs per document and how long it may run. */
const MAX_PARAGRAPHS = 1500;
const MAX_TYPING_MS = 20_000;

/** The paragraphs of a document, in order (each typed one ends with ';'). */
const paragraphs = (client: Client) => documentText(client.doc).split(';').filter((part) => part !== '');

function track(client: Client) {
  cleanups.push(() => client.destroy());
  return client;
}

/** One writer and one reader per document; the writer types until `stop` (or the bounds). */
async function typingLoad(server: TestServer, token: string) {
  const documents = await Promise.all(Array.from({ length: DOCUMENTS }, (_, i) => server.createDocument(token, { title: `Backup ${i}` })));
  const pairs = documents.map(({ id }) => ({ id, writer: track(connectClient(server.wsUrl, id, token)), reader: track(connectClient(server.wsUrl, id, token)) }));
  await Promise.all(pairs.flatMap(({ writer, reader }) => [synced(writer), synced(reader)]));
  let typing = true;
  const startedAt = performance.now();
  const loop = (async () => {
    for (let n = 0; typing && n < MAX_PARAGRAPHS && performance.now() - startedAt < MAX_TYPING_MS; n++) {
      pairs.forEach(({ writer }, i) => typeParagraph(writer.doc, `d${i}-${n};`));
      await Bun.sleep(2); // a typist's pace, and time for the server to commit and broadcast
    }
  })();
  return {
    pairs,
    async stop() {
      typing = false;
      await loop;
      for (const { writer, reader } of pairs) {
        await waitFor(() => paragraphs(reader).length === paragraphs(writer).length, 10_000, 'readers to receive every paragraph');
      }
    },
  };
}

/** Backs up during the load; returns what readers had seen as it began and what was typed in all. */
async function backupDuringLoad(server: TestServer, token: string, env: Record<string, string>, out: string) {
  const load = await typingLoad(server, token);
  await waitFor(() => load.pairs.every(({ reader }) => paragraphs(reader).length >= 30), 10_000, 'some typing before the backup');
  const seenAtStart = load.pairs.map(({ reader }) => paragraphs(reader));
  const backup = await runScript('scripts/backup.ts', ['--out', out], env);
  const typedDuring = load.pairs.map(({ writer }, i) => paragraphs(writer).length - seenAtStart[i]!.length);
  await load.stop();
  expect(backup).toMatchObject({ code: 0, stdout: expect.stringContaining(`backed up`) });
  return { ids: load.pairs.map(({ id }) => id), seenAtStart, typed: load.pairs.map(({ writer }) => paragraphs(writer)), typedDuring };
}

/** Each restored document is a prefix of what was typed, at least as long as what readers had seen. */
async function expectRestored(restored: TestServer, token: string, result: Awaited<ReturnType<typeof backupDuringLoad>>) {
  for (const [i, id] of result.ids.entries()) {
    const client = track(connectClient(restored.wsUrl, id, token));
    await synced(client);
    const content = paragraphs(client);
    expect(content.length).toBeGreaterThanOrEqual(result.seenAtStart[i]!.length);
    expect(content).toEqual(result.typed[i]!.slice(0, content.length));
  }
  // The load went on while the backup ran: it really was taken online.
  expect(result.typedDuring.reduce((sum, n) => sum + n, 0)).toBeGreaterThan(0);
}

test('SQLite: backup during typing, restore into an empty DATA_DIR; sessions survive; a non-empty one is refused', async () => {
  const live = tempDir('quire-backup-live-');
  const files = tempDir('quire-backup-files-');
  const restoredDir = join(files.path, 'restored');
  cleanups.push(() => live.cleanup(), () => files.cleanup());
  const server = await startTestServer({ dataDir: live.path });
  cleanups.push(() => server.close());
  const { token } = await server.signIn('Ada');
  const out = join(files.path, 'quire.backup');
  const result = await backupDuringLoad(server, token, { DATA_DIR: live.path }, out);

  const restore = await runScript('scripts/restore.ts', [out], { DATA_DIR: restoredDir });
  expect(restore).toMatchObject({ code: 0, stdout: expect.stringContaining(`restored ${out} into ${restoredDir}`) });
  const restored = await startTestServer({ dataDir: restoredDir });
  cleanups.push(() => restored.close({ keepData: true }));
  expect((await restored.request('/api/session', { token })).status).toBe(200); // the session secret came along
  await expectRestored(restored, token, result);

  const again = await runScript('scripts/restore.ts', [out], { DATA_DIR: restoredDir });
  expect(again.code).toBe(2);
  expect(again.stderr).toContain(`DATA_DIR ${restoredDir} is not empty`);
  expect((await runScript('scripts/backup.ts', ['--out', out], { DATA_DIR: live.path })).stderr).toContain('exists already');
}, 90_000);

test('PostgreSQL: pg_dump during typing, pg_restore into an empty database; a database with tables is refused', async () => {
  const [liveDb, restoredDb] = [await createTestDatabase(), await createTestDatabase()];
  const files = tempDir('quire-backup-files-');
  cleanups.push(() => liveDb.drop(), () => restoredDb.drop(), () => files.cleanup());
  // Instances that share a database share their session secret (see the README).
  const SESSION_SECRET = 'backup-test-session-secret-0123456789abcdef';
  const server = await startTestServer({ env: { DATABASE_URL: liveDb.url, SESSION_SECRET } });
  cleanups.push(() => server.close());
  const { token } = await server.signIn('Ada');
  const out = join(files.path, 'quire.pgdump');
  const result = await backupDuringLoad(server, token, { DATABASE_URL: liveDb.url }, out);

  expect(await runScript('scripts/restore.ts', [out], { DATABASE_URL: restoredDb.url })).toMatchObject({ code: 0 });
  const restored = await startTestServer({ env: { DATABASE_URL: restoredDb.url, SESSION_SECRET } });
  cleanups.push(() => restored.close());
  await expectRestored(restored, token, result);

  const again = await runScript('scripts/restore.ts', [out], { DATABASE_URL: restoredDb.url });
  expect(again.code).toBe(2);
  expect(again.stderr).toMatch(/the database at DATABASE_URL has \d+ tables; restore only into an empty database/);
  const wrongKind = await runScript('scripts/restore.ts', [out], { DATA_DIR: join(files.path, 'nowhere') });
  expect(wrongKind.stderr).toContain('is a PostgreSQL backup: set DATABASE_URL');
}, 90_000);
