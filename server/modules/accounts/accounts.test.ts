/**
 * Accounts over HTTP, on SQLite and on PostgreSQL: who may register (first account, invites,
 * open and closed registration), what makes an account valid, invites, the people list,
 * profiles, password changes and what admins may change.
 */
import { afterEach, describe, expect, test } from 'bun:test';
import type { SessionResponse, UserSummary } from '../../../shared/dto.ts';
import { createTestDatabase } from '../../test-support/postgres.ts';
import { closeCodes, connectClient, newAccountBody, startTestServer, synced, TEST_PASSWORD, waitFor, type TestServer } from '../../test-support/harness.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Storage = 'SQLite' | 'PostgreSQL';

async function start(storage: Storage, env: Record<string, string> = {}): Promise<TestServer> {
  let databaseEnv: Record<string, string> = {};
  if (storage === 'PostgreSQL') {
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    databaseEnv = { DATABASE_URL: database.url };
  }
  const server = await startTestServer({ env: { SESSIONS_PER_MINUTE_PER_IP: '1000', ...databaseEnv, ...env } });
  cleanups.push(() => server.close());
  return server;
}

async function register(server: TestServer, name: string, extra: Record<string, unknown> = {}) {
  const body = newAccountBody(name, extra);
  const response = await server.request('/api/accounts', { method: 'POST', json: body });
  return { response, email: body.email as string };
}

async function mustRegister(server: TestServer, name: string, extra: Record<string, unknown> = {}): Promise<SessionResponse & { email: string }> {
  const { response, email } = await register(server, name, extra);
  if (response.status !== 201) throw new Error(`${response.status} ${await response.text()}`);
  return { ...((await response.json()) as SessionResponse), email };
}

async function invite(server: TestServer, token: string, body: Record<string, unknown>) {
  const response = await server.request('/api/invites', { method: 'POST', token, json: body });
  return { status: response.status, body: (await response.json()) as { code: string; url: string; expiresAt: string; detail?: string } };
}

const authConfig = async (server: TestServer) => (await server.request('/api/auth/config')).json();

describe.each(['SQLite', 'PostgreSQL'] as const)('accounts on %s', (storage) => {
  test('the first account is created freely and becomes admin; then an invite is needed (REGISTRATION=invite)', async () => {
    const server = await start(storage, { REGISTRATION: 'invite' });
    expect(await authConfig(server)).toEqual({ registration: 'invite', needsFirstAccount: true, oidc: false });
    const admin = await mustRegister(server, 'Root');
    expect(admin.user).toMatchObject({ name: 'Root', email: admin.email, role: 'admin' });
    expect(await authConfig(server)).toEqual({ registration: 'invite', needsFirstAccount: false, oidc: false });

    const refused = await register(server, 'Stranger');
    expect(refused.response.status).toBe(403);
    expect((await refused.response.json()).detail).toMatch(/invite/);

    const { status, body } = await invite(server, admin.token, { role: 'member' });
    expect(status).toBe(201);
    expect(body.url).toBe(`${server.url}/join/${body.code}`);
    expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(7 * 24 * 3600 * 1000 - 60_000);
    const details = await server.request(`/api/invites/${body.code}`);
    expect(await details.json()).toEqual({ invitedBy: { id: admin.user.id, name: 'Root' }, email: null, role: 'member', expiresAt: body.expiresAt });

    const guest = await mustRegister(server, 'Guest', { invite: body.code });
    expect(guest.user.role).toBe('member');
    // Single use: the link is spent.
    expect((await register(server, 'Second guest', { invite: body.code })).response.status).toBe(403);
    expect((await server.request(`/api/invites/${body.code}`)).status).toBe(404);
  });

  test('REGISTRATION=open lets anyone in as a member; closed lets nobody in after the first, and refuses invites', async () => {
    const open = await start(storage, { REGISTRATION: 'open' });
    await mustRegister(open, 'First');
    expect((await mustRegister(open, 'Anyone')).user.role).toBe('member');

    const closed = await start(storage, { REGISTRATION: 'closed' });
    expect((await authConfig(closed)).registration).toBe('closed');
    const admin = await mustRegister(closed, 'Only');
    expect(admin.user.role).toBe('admin');
    expect((await register(closed, 'Anyone')).response.status).toBe(403);
    const refused = await invite(closed, admin.token, { role: 'member' });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/closed/);
  });

  test('invites: bound to their email when given, their role, refused for members, expired ones unusable', async () => {
    const server = await start(storage, { REGISTRATION: 'invite' });
    const admin = await mustRegister(server, 'Root');
    const forBea = await invite(server, admin.token, { email: 'Bea@Example.com', role: 'admin' });
    expect((await server.request(`/api/invites/${forBea.body.code}`).then((r) => r.json())).email).toBe('bea@example.com');
    expect((await register(server, 'Mallory', { invite: forBea.body.code })).response.status).toBe(403);
    const bea = await mustRegister(server, 'Bea', { email: 'bea@EXAMPLE.com', invite: forBea.body.code });
    expect(bea.user).toMatchObject({ email: 'bea@example.com', role: 'admin' });

    const member = await mustRegister(server, 'Member', { invite: (await invite(server, admin.token, { role: 'member' })).body.code });
    expect((await invite(server, member.token, { role: 'member' })).status).toBe(403);
    expect((await invite(server, admin.token, { role: 'owner' })).status).toBe(422);
    expect((await invite(server, admin.token, {})).status).toBe(422);

    const now = Date.now();
    await server.server.services.store.accounts.createInvite({ code: 'stale-code', email: null, role: 'member', createdBy: admin.user.id, createdAt: now - 8 * 86_400_000, expiresAt: now - 1 });
    expect((await server.request('/api/invites/stale-code')).status).toBe(404);
    expect((await register(server, 'Late', { invite: 'stale-code' })).response.status).toBe(403);
    expect((await server.request('/api/invites/no-such-code')).status).toBe(404);
  });

  test('emails are unique whatever their case (409); names 1 to 64 characters without control characters; passwords of 10 or more (422)', async () => {
    const server = await start(storage);
    await mustRegister(server, 'Ada', { email: 'ada@example.com' });
    const taken = await register(server, 'Impostor', { email: '  ADA@Example.COM ' });
    expect(taken.response.status).toBe(409);
    const bad: [Record<string, unknown>, string][] = [
      [{ name: '   ' }, 'name'],
      [{ name: 'x'.repeat(65) }, 'name'],
      [{ name: 'tab\there' }, 'name'],
      [{ password: 'short' }, 'password'],
      [{ password: '123456789' }, 'password'],
      [{ email: 'not-an-email' }, 'email'],
      [{ email: 'a@b\u0000c' }, 'email'],
    ];
    for (const [override, field] of bad) {
      const { response } = await register(server, 'Someone', override);
      expect(response.status).toBe(422);
      expect((await response.json()).fields).toEqual([field]);
    }
    expect((await register(server, 'x'.repeat(64), { password: '0123456789' })).response.status).toBe(201);
  });

  test('people: members see enabled accounts to share with, filtered; admins see everyone with role and disabled', async () => {
    const server = await start(storage);
    const admin = await mustRegister(server, 'Root');
    const ada = await mustRegister(server, 'Ada Lovelace');
    const bob = await mustRegister(server, 'Bob');
    await server.request(`/api/users/${bob.user.id}`, { method: 'PATCH', token: admin.token, json: { disabled: true } });

    const list = async (token: string, query = '') => (await (await server.request(`/api/users${query}`, { token })).json()) as UserSummary[];
    const forMember = await list(ada.token);
    expect(forMember.map((u) => u.name)).toEqual(['Ada Lovelace', 'Root']);
    expect(forMember[0]).toEqual({ id: ada.user.id, name: 'Ada Lovelace', email: ada.email, color: ada.user.color });
    expect((await list(ada.token, '?q=LOVE')).map((u) => u.name)).toEqual(['Ada Lovelace']);
    expect((await list(ada.token, `?q=${encodeURIComponent(admin.email.slice(0, 8))}`)).map((u) => u.name)).toEqual(['Root']);
    expect((await list(ada.token, '?limit=1'))).toHaveLength(1);
    // Disabling changed nothing else: no role slipped in with it.
    const forAdmin = await list(admin.token);
    expect(forAdmin.map((u) => [u.name, u.role, u.disabled])).toEqual([['Ada Lovelace', 'member', false], ['Bob', 'member', true], ['Root', 'admin', false]]);
    expect((await server.request('/api/users')).status).toBe(401);
  });

  test('the last active admin cannot be demoted or disabled (409); with a second admin it can', async () => {
    const server = await start(storage);
    const root = await mustRegister(server, 'Root');
    const ada = await mustRegister(server, 'Ada');
    const patch = (token: string, id: string, json: unknown) => server.request(`/api/users/${id}`, { method: 'PATCH', token, json });
    for (const change of [{ role: 'member' }, { disabled: true }]) {
      const refused = await patch(root.token, root.user.id, change);
      expect(refused.status).toBe(409);
      expect((await refused.json()).detail).toMatch(/last active admin/);
    }
    expect((await patch(ada.token, ada.user.id, { role: 'admin' })).status).toBe(403);
    expect((await patch(root.token, 'no-such-account', { role: 'admin' })).status).toBe(404);
    expect(await (await patch(root.token, ada.user.id, { role: 'admin' })).json()).toMatchObject({ role: 'admin', disabled: false });
    expect((await patch(ada.token, root.user.id, { role: 'member' })).status).toBe(200);
    expect((await patch(ada.token, ada.user.id, { disabled: true })).status).toBe(409);
    expect(((await (await server.request('/api/session', { token: root.token })).json()) as SessionResponse).user.role).toBe('member');
  });
});

test('disabling an account ends its sessions at once: sockets close with 4401, streams end, it cannot sign in; enabling lets it back', async () => {
  const server = await start('SQLite');
  const admin = await mustRegister(server, 'Root');
  const ada = await mustRegister(server, 'Ada');
  const { id } = await server.createDocument(admin.token);
  const adaClient = connectClient(server.wsUrl, id, ada.token);
  const adminClient = connectClient(server.wsUrl, id, admin.token);
  cleanups.push(async () => (adaClient.destroy(), adminClient.destroy()));
  const [adaCloses, adminCloses] = [closeCodes(adaClient), closeCodes(adminClient)];
  await Promise.all([synced(adaClient), synced(adminClient)]);
  const stream = await fetch(`${server.url}/api/activity/stream`, { headers: { authorization: `Bearer ${ada.token}` } });
  const reader = stream.body!.getReader();
  await reader.read();

  const started = performance.now();
  const disabled = await server.request(`/api/users/${ada.user.id}`, { method: 'PATCH', token: admin.token, json: { disabled: true } });
  expect(await disabled.json()).toMatchObject({ id: ada.user.id, disabled: true });
  await waitFor(() => adaCloses.includes(4401), 1000, "Ada's socket to close");
  while (!(await reader.read()).done);
  expect(performance.now() - started).toBeLessThan(1000);
  expect(adminCloses).toEqual([]);
  expect((await server.request('/api/session', { token: ada.token })).status).toBe(401);
  const signIn = () => server.request('/api/session', { method: 'POST', json: { email: ada.email, password: TEST_PASSWORD } });
  expect((await signIn()).status).toBe(403);
  expect((await signIn().then((r) => r.json())).detail).toMatch(/disabled/);

  await server.request(`/api/users/${ada.user.id}`, { method: 'PATCH', token: admin.token, json: { disabled: false } });
  expect((await signIn()).status).toBe(201);
});

test('changing the password needs the current one, ends every other session (closing its socket) and keeps this one', async () => {
  const server = await start('SQLite');
  const ada = await mustRegister(server, 'Ada');
  const signIn = (password: string) => server.request('/api/session', { method: 'POST', json: { email: ada.email, password } });
  const laptop = ((await (await signIn(TEST_PASSWORD)).json()) as SessionResponse).token;
  const { id } = await server.createDocument(ada.token);
  const onLaptop = connectClient(server.wsUrl, id, laptop);
  const here = connectClient(server.wsUrl, id, ada.token);
  cleanups.push(async () => (onLaptop.destroy(), here.destroy()));
  const [laptopCloses, hereCloses] = [closeCodes(onLaptop), closeCodes(here)];
  await Promise.all([synced(onLaptop), synced(here)]);

  const change = (current: string, next: string) => server.request('/api/users/me/password', { method: 'POST', token: ada.token, json: { current, next } });
  expect((await change('wrong password', 'a new passphrase')).status).toBe(403);
  const weak = await change(TEST_PASSWORD, 'short');
  expect(weak.status).toBe(422);
  expect((await weak.json()).fields).toEqual(['next']);
  expect((await change(TEST_PASSWORD, 'a new passphrase')).status).toBe(204);

  await waitFor(() => laptopCloses.includes(4401), 1000, 'the other session to close');
  expect((await server.request('/api/session', { token: laptop })).status).toBe(401);
  expect((await server.request('/api/session', { token: ada.token })).status).toBe(200);
  expect(hereCloses).toEqual([]);
  expect((await signIn(TEST_PASSWORD)).status).toBe(401);
  expect((await signIn('a new passphrase')).status).toBe(201);
});

test('renaming yourself shows the new name in lists and new activity; past activity keeps the name it was recorded with', async () => {
  const server = await start('SQLite');
  const ada = await mustRegister(server, 'Ada');
  const first = await server.createDocument(ada.token, { title: 'Before' });
  const renamed = await server.request('/api/users/me', { method: 'PATCH', token: ada.token, json: { name: '  Ada Lovelace ', color: '#0090FF' } });
  expect(await renamed.json()).toEqual({ ...ada.user, name: 'Ada Lovelace', color: '#0090ff' });
  await server.createDocument(ada.token, { title: 'After' });

  const documents = await (await server.request('/api/documents', { token: ada.token })).json();
  expect(documents.items.find((d: { id: string }) => d.id === first.id).createdBy).toEqual({ id: ada.user.id, name: 'Ada Lovelace' });
  await waitFor(async () => (await (await server.request('/api/activity', { token: ada.token })).json()).items.length === 2, 2000, 'both events');
  const activity = await (await server.request('/api/activity', { token: ada.token })).json();
  expect(activity.items.map((e: { documentTitle: string; actor: unknown }) => [e.documentTitle, e.actor])).toEqual([
    ['After', { id: ada.user.id, name: 'Ada Lovelace', color: '#0090ff' }],
    ['Before', { id: ada.user.id, name: 'Ada', color: ada.user.color }],
  ]);
  for (const json of [{ color: 'blue' }, { name: '' }, { name: 'x'.repeat(65) }, { role: 'admin' }]) {
    expect((await server.request('/api/users/me', { method: 'PATCH', token: ada.token, json })).status).toBe(422);
  }
});
