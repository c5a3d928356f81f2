/**
 * Single sign-on through the whole Quire server and its accounts, against a real OpenID provider
 * (oidc-provider in a child process), over real HTTP, as a browser would go: Quire, provider
 * login and consent, back to Quire, then the API with the session cookie it set.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { User } from '../../../shared/dto.ts';
import { freePort } from '../../test-support/child-server.ts';
import { startTestServer, type TestServer } from '../../test-support/harness.ts';
import { TestBrowser, signInAtProvider, startOidcProvider, type RunningProvider } from '../../test-support/oidc-provider.ts';
import { FLOW_COOKIE, flowKey, openFlow, sealFlow, type Flow } from './flow.ts';

const SESSION_SECRET = 'a-session-secret-of-at-least-thirty-two-characters';
const CLIENT = { client_id: 'quire', client_secret: 'quire-client-secret-for-tests' };
const ports = { open: freePort(), closed: freePort(), invite: freePort() };

let provider: RunningProvider;

beforeAll(async () => {
  provider = await startOidcProvider({
    clients: [{ ...CLIENT, redirect_uris: Object.values(ports).map((port) => `http://127.0.0.1:${port}/api/auth/oidc/callback`) }],
    accounts: {
      root: { email: 'Root@Example.com', email_verified: true, name: 'Root Admin' },
      'root-again': { email: 'ROOT@example.COM', email_verified: true, name: 'Someone Else' },
      bob: { email: 'bob@example.com', email_verified: true, name: 'Bob' },
      carol: { email: 'carol@example.com', email_verified: true, name: 'Carol' },
      eve: { email: 'eve@example.com', email_verified: false, name: 'Eve' },
    },
  });
});

afterAll(async () => {
  await provider?.stop();
}, 30_000);

/** A Quire server on `port` with single sign-on at the test provider. */
function startQuire(port: number, env: Record<string, string> = {}): Promise<TestServer> {
  return startTestServer({
    env: {
      PORT: String(port),
      SESSION_SECRET,
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: CLIENT.client_id,
      OIDC_CLIENT_SECRET: CLIENT.client_secret,
      ...env,
    },
  });
}

/** Starts a sign-in at `quire` and goes through the provider as `login`; returns the callback URL. */
async function toCallback(quire: TestServer, browser: TestBrowser, login: string, next?: string, invite?: string): Promise<string> {
  const query = new URLSearchParams({ ...(next ? { next } : {}), ...(invite ? { invite } : {}) });
  const start = await browser.fetch(`${quire.url}/api/auth/oidc/start?${query}`);
  expect(start.status).toBe(302);
  return signInAtProvider(browser, start.headers.get('location')!, login);
}

/** Signs in through the provider as `login`; returns where Quire sent the browser, and who it is now. */
async function signIn(quire: TestServer, login: string, next?: string, invite?: string) {
  const browser = new TestBrowser();
  const callback = await browser.fetch(await toCallback(quire, browser, login, next, invite));
  expect(callback.status).toBe(302);
  return { browser, location: callback.headers.get('location'), user: await currentUser(quire, browser) };
}

/** Who the browser's session cookie stands for, or null (401). */
async function currentUser(quire: TestServer, browser: TestBrowser): Promise<User | null> {
  const response = await browser.fetch(`${quire.url}/api/session`);
  if (response.status === 401) return null;
  expect(response.status).toBe(200);
  return ((await response.json()) as { user: User }).user;
}

describe('single sign-on with accounts', () => {
  let quire: TestServer;
  beforeAll(async () => {
    quire = await startQuire(ports.open);
  });
  afterAll(async () => {
    await quire?.close();
  });

  test('the first person on an empty server gets an account and is its admin; signing in again finds the same account', async () => {
    const first = await signIn(quire, 'root', '/d/welcome');
    expect(first.location).toBe('/d/welcome');
    expect(first.user).toMatchObject({ name: 'Root Admin', email: 'root@example.com', role: 'admin' });
    // The session works for the API, not only for /api/session.
    expect((await first.browser.fetch(`${quire.url}/api/documents`)).status).toBe(200);

    const again = await signIn(quire, 'root');
    expect(again.user?.id).toBe(first.user!.id);
    // Another login at the provider with the same verified email, in other letter cases, is the same person.
    const sameEmail = await signIn(quire, 'root-again');
    expect(sameEmail.user).toMatchObject({ id: first.user!.id, name: 'Root Admin', role: 'admin' });

    const second = await signIn(quire, 'bob');
    expect(second.user).toMatchObject({ email: 'bob@example.com', role: 'member' });
    expect(second.user!.id).not.toBe(first.user!.id);
  });

  test('a tampered state is refused and signs nobody in', async () => {
    const browser = new TestBrowser();
    const callback = new URL(await toCallback(quire, browser, 'bob'));
    callback.searchParams.set('state', 'forged-state');
    const response = await browser.fetch(callback.href);
    expect(response.headers.get('location')).toBe('/signin?error=state_mismatch');
    expect(await currentUser(quire, browser)).toBeNull();
  });

  test('a callback replayed with a flow cookie expecting another nonce is refused', async () => {
    const browser = new TestBrowser();
    const callback = await toCallback(quire, browser, 'bob');
    const key = flowKey(SESSION_SECRET);
    const flow = openFlow(key, browser.cookie(quire.url, FLOW_COOKIE)!, Date.now()) as Flow;
    browser.setCookie(quire.url, FLOW_COOKIE, sealFlow(key, { ...flow, nonce: 'a-nonce-of-some-other-sign-in-entirely' }));
    const response = await browser.fetch(callback);
    expect(response.headers.get('location')).toBe('/signin?error=nonce_mismatch');
    expect(await currentUser(quire, browser)).toBeNull();
  });

  test('an email the provider has not verified is refused and makes no account', async () => {
    const { location, user } = await signIn(quire, 'eve');
    expect(location).toBe('/signin?error=email_unverified');
    expect(user).toBeNull();
    const admin = await signIn(quire, 'root');
    const people = (await (await admin.browser.fetch(`${quire.url}/api/users?q=eve`)).json()) as unknown[];
    expect(people).toEqual([]);
  });
});

describe('single sign-on with REGISTRATION=closed', () => {
  let quire: TestServer;
  beforeAll(async () => {
    quire = await startQuire(ports.closed, { REGISTRATION: 'closed' });
  });
  afterAll(async () => {
    await quire?.close();
  });

  test('an unknown email is refused; an existing account signs in through the provider', async () => {
    const admin = await quire.request('/api/accounts', {
      method: 'POST',
      json: { email: 'root@example.com', name: 'Root', password: 'correct horse battery staple' },
    });
    expect(admin.status).toBe(201);
    const { user: existing } = (await admin.json()) as { user: User };

    const unknown = await signIn(quire, 'bob');
    expect(unknown.location).toBe('/signin?error=registration_closed');
    expect(unknown.user).toBeNull();

    const known = await signIn(quire, 'root');
    expect(known.location).toBe('/');
    expect(known.user).toMatchObject({ id: existing.id, email: 'root@example.com', role: 'admin' });
  });
});

describe('single sign-on with REGISTRATION=invite', () => {
  let quire: TestServer;
  beforeAll(async () => {
    quire = await startQuire(ports.invite, { REGISTRATION: 'invite' });
  });
  afterAll(async () => {
    await quire?.close();
  });

  test('a new person is admitted through the provider only with an invite, once', async () => {
    const admin = await signIn(quire, 'root');
    expect(admin.user?.role).toBe('admin');
    const invited = await admin.browser.fetch(`${quire.url}/api/invites`, { json: { role: 'member' } });
    expect(invited.status).toBe(201);
    const { code } = (await invited.json()) as { code: string };

    const uninvited = await signIn(quire, 'carol');
    expect(uninvited.location).toBe('/signin?error=registration_closed');
    const joined = await signIn(quire, 'carol', '/', code);
    expect(joined.user).toMatchObject({ email: 'carol@example.com', role: 'member' });
    const reused = await signIn(quire, 'bob', '/', code);
    expect(reused.location).toBe('/signin?error=registration_closed');
  });
});

test('without OIDC_* settings the routes answer 404', async () => {
  const quire = await startTestServer();
  try {
    const response = await fetch(`${quire.url}/api/auth/oidc/start`, { redirect: 'manual' });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  } finally {
    await quire.close();
  }
});
