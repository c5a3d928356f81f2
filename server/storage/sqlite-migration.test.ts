/**
 * A data directory from before accounts (name-only sign-in) opens with the accounts migration:
 * its users become disabled accounts without email or password, their documents, content and
 * history stay and still show their names, and their old sessions no longer let anyone in.
 */
import { afterEach, expect, test } from 'bun:test';
import { Database } from 'bun:sqlite';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { signToken } from '../modules/session/token.ts';
import { startTestServer, tempDir, TEST_PASSWORD, type TestServer } from '../test-support/harness.ts';
import { SQLITE_MIGRATIONS } from './sqlite-schema.ts';

const SECRET = 'pre-accounts-secret-0123456789abcdef';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A data directory as the name-only version left it: two users, a document Bob edited, a session of Ada's. */
function preAccountsDataDir(): string {
  const dir = tempDir('quire-pre-accounts-');
  cleanups.push(() => dir.cleanup());
  const db = new Database(join(dir.path, 'quire.sqlite'), { create: true, strict: true });
  db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY)');
  db.exec(SQLITE_MIGRATIONS[0]!);
  db.exec('INSERT INTO schema_migrations (version) VALUES (1)');
  db.query('INSERT INTO users (id, name, color) VALUES (?, ?, ?), (?, ?, ?)').run('u-ada', 'Ada', '#e5484d', 'u-bob', 'Bob', '#0090ff');
  db.query('INSERT INTO sessions (id, user_id, expires_at) VALUES (?, ?, ?)').run('old-session', 'u-ada', Date.now() + 86_400_000);
  db.query('INSERT INTO documents (id, title, created_at, updated_at, created_by, updated_by, version) VALUES (?, ?, ?, ?, ?, ?, 1)')
    .run('doc-old', 'Old notes', 1_600_000_000_000, 1_600_000_100_000, 'u-ada', 'u-bob');
  const doc = new Y.Doc();
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText('written before accounts')]);
  doc.getXmlFragment('default').insert(0, [paragraph]);
  db.query('INSERT INTO document_updates (document_id, data) VALUES (?, ?)').run('doc-old', Y.encodeStateAsUpdate(doc));
  db.query(
    `INSERT INTO activity (type, document_id, document_title, actor_id, actor_name, actor_color, at, details)
     VALUES ('document.created', 'doc-old', 'Old notes', 'u-ada', 'Ada', '#e5484d', 1600000000000, '{}')`,
  ).run();
  db.close();
  writeFileSync(join(dir.path, 'session-secret'), SECRET, { mode: 0o600 });
  return dir.path;
}

test('a pre-accounts database keeps its documents and history under their names; its users become disabled accounts; old sessions end', async () => {
  const dataDir = preAccountsDataDir();
  const server: TestServer = await startTestServer({ dataDir, env: { REGISTRATION: 'invite' } });
  cleanups.push(() => server.close({ keepData: true }));

  const oldToken = signToken(SECRET, { sessionId: 'old-session', expiresAt: Date.now() + 86_400_000 });
  expect((await server.request('/api/session', { token: oldToken })).status).toBe(401);
  expect((await server.request('/api/documents', { token: oldToken })).status).toBe(401);
  // Nobody can sign in yet: the first real account is still to be made, and it becomes the admin.
  expect(await (await server.request('/api/auth/config')).json()).toMatchObject({ needsFirstAccount: true });
  for (const json of [{ name: 'Ada' }, { email: 'ada@example.com', password: TEST_PASSWORD }]) {
    expect((await server.request('/api/session', { method: 'POST', json })).status).toBeGreaterThanOrEqual(401);
  }
  const created = await server.request('/api/accounts', { method: 'POST', json: { email: 'admin@example.com', name: 'Ada', password: TEST_PASSWORD } });
  const admin = (await created.json()) as { token: string; user: { id: string; role: string } };
  expect(admin.user.role).toBe('admin');
  expect(admin.user.id).not.toBe('u-ada'); // same name, another person: names are not identities

  const documents = await (await server.request('/api/documents', { token: admin.token })).json();
  expect(documents.items).toEqual([
    expect.objectContaining({ id: 'doc-old', title: 'Old notes', createdBy: { id: 'u-ada', name: 'Ada' }, updatedBy: { id: 'u-bob', name: 'Bob' } }),
  ]);
  const text = await server.request('/api/documents/doc-old/content?format=text', { token: admin.token });
  expect(await text.text()).toContain('written before accounts');
  const activity = await (await server.request('/api/activity', { token: admin.token })).json();
  expect(activity.items.find((event: { documentId: string }) => event.documentId === 'doc-old').actor).toEqual({ id: 'u-ada', name: 'Ada', color: '#e5484d' });

  const people = await (await server.request('/api/users', { token: admin.token })).json();
  expect(people).toEqual(
    expect.arrayContaining([
      { id: 'u-ada', name: 'Ada', email: null, color: '#e5484d', role: 'member', disabled: true },
      { id: 'u-bob', name: 'Bob', email: null, color: '#0090ff', role: 'member', disabled: true },
    ]),
  );
  expect(people).toHaveLength(3);

  const db = new Database(join(dataDir, 'quire.sqlite'), { readonly: true });
  cleanups.push(() => db.close());
  expect(db.query('SELECT MAX(version) AS v FROM schema_migrations').get()).toEqual({ v: SQLITE_MIGRATIONS.length });
  expect(db.query("SELECT COUNT(*) AS n FROM sessions WHERE id = 'old-session'").get()).toEqual({ n: 0 });
});
