/**
 * The SSO flow against a real OpenID provider (oidc-provider in a child process), over real
 * HTTP, with a stand-in for accounts so that every refusal of the protocol is seen on its own.
 * What accounts make of a verified email is proven through the whole server in sso.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { Elysia } from 'elysia';
import { errorHandling } from '../../http/errors.ts';
import { createLogger } from '../../logger.ts';
import { freePort } from '../../test-support/child-server.ts';
import { TestBrowser, signInAtProvider, startOidcProvider, type RunningProvider } from '../../test-support/oidc-provider.ts';
import { FLOW_COOKIE, flowKey, openFlow, sealFlow, type Flow } from './flow.ts';
import { oidcRoutes } from './index.ts';
import { OidcService, type OidcAccounts, type VerifiedIdentity } from './service.ts';

const SECRET = 'a-session-secret-of-at-least-thirty-two-characters';
const CLIENT = { client_id: 'quire', client_secret: 'quire-client-secret-for-tests' };

/** Remembers who was signed in; refuses everyone while `closed`, and the `disabled` emails. */
class StandInAccounts implements OidcAccounts {
  readonly signedIn: VerifiedIdentity[] = [];
  readonly disabled = new Set<string>();
  closed = false;
  async signInWithVerifiedEmail(identity: VerifiedIdentity) {
    if (this.closed) return 'registration-closed' as const;
    if (this.disabled.has(identity.email)) return 'account-disabled' as const;
    this.signedIn.push(identity);
    return { token: `token-for-${identity.email}`, expiresAt: Date.now() + 3600_000 };
  }
}

interface Quire {
  url: string;
  accounts: StandInAccounts;
  stop(): void;
}

/** Quire's OIDC routes alone, on `port`, pointed at `issuer`. */
function startQuire(port: number, issuer: string): Quire {
  const logger = createLogger('silent');
  const accounts = new StandInAccounts();
  const service = new OidcService({ issuer, clientId: CLIENT.client_id, clientSecret: CLIENT.client_secret }, accounts, SECRET, logger, 2);
  const app = new Elysia().use(errorHandling(logger)).use(oidcRoutes(service, null));
  app.listen({ port, hostname: '127.0.0.1' });
  return { url: `http://127.0.0.1:${port}`, accounts, stop: () => void app.stop(true) };
}

let provider: RunningProvider;
let quire: Quire;

beforeAll(async () => {
  const port = freePort();
  provider = await startOidcProvider({
    clients: [{ ...CLIENT, redirect_uris: [`http://127.0.0.1:${port}/api/auth/oidc/callback`] }],
    accounts: {
      ada: { email: 'Ada@Example.com', email_verified: true, name: 'Ada Lovelace' },
      eve: { email: 'eve@example.com', email_verified: false, name: 'Eve' },
      nomail: { name: 'No Mail' },
    },
  });
  quire = startQuire(port, provider.issuer);
});

afterAll(async () => {
  quire?.stop();
  await provider?.stop();
}, 30_000);

/** Starts a sign-in in `browser`; returns the provider's authorization URL. */
async function start(browser: TestBrowser, next?: string, invite?: string): Promise<string> {
  const query = new URLSearchParams({ ...(next ? { next } : {}), ...(invite ? { invite } : {}) });
  const response = await browser.fetch(`${quire.url}/api/auth/oidc/start?${query}`);
  expect(response.status).toBe(302);
  return response.headers.get('location')!;
}

/** Goes through the provider as `login` and back to Quire's callback; returns Quire's answer. */
async function signIn(login: string | null, next?: string, invite?: string) {
  const browser = new TestBrowser();
  const callback = await signInAtProvider(browser, await start(browser, next, invite), login);
  const response = await browser.fetch(callback);
  return { browser, callback, response, location: response.headers.get('location') };
}

function sessionCookie(browser: TestBrowser): string | undefined {
  return browser.cookie(quire.url, 'quire_session');
}

describe('single sign-on flow', () => {
  test('start sends the browser to the provider with state, nonce and an S256 PKCE challenge, kept in a sealed cookie', async () => {
    const response = await fetch(`${quire.url}/api/auth/oidc/start`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(location.origin).toBe(provider.issuer);
    expect(location.searchParams.get('client_id')).toBe('quire');
    expect(location.searchParams.get('redirect_uri')).toBe(`${quire.url}/api/auth/oidc/callback`);
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    for (const name of ['state', 'nonce', 'code_challenge']) expect(location.searchParams.get(name)?.length).toBeGreaterThan(20);
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith(`${FLOW_COOKIE}=`))!;
    expect(cookie).toMatch(/; Path=\/api\/auth\/oidc; HttpOnly; SameSite=Lax; Max-Age=600$/);
    // The browser holds the flow but cannot read the verifier out of it.
    const value = cookie.slice(FLOW_COOKIE.length + 1, cookie.indexOf(';'));
    expect(Buffer.from(value, 'base64url').toString('latin1')).not.toContain('codeVerifier');
    expect(openFlow(flowKey(SECRET), value, Date.now())).toMatchObject({ state: location.searchParams.get('state'), next: '/' });
  });

  test('a person the provider vouches for is signed in and returned to where they were going', async () => {
    const { browser, response, location } = await signIn('ada', '/d/xyz?tab=history');
    expect(response.status).toBe(302);
    expect(location).toBe('/d/xyz?tab=history');
    expect(sessionCookie(browser)).toBe('token-for-Ada@Example.com');
    expect(response.headers.getSetCookie().find((line) => line.startsWith('quire_session='))).toContain('HttpOnly; SameSite=Lax');
    expect(browser.cookie(quire.url, FLOW_COOKIE)).toBeUndefined();
    expect(quire.accounts.signedIn.at(-1)).toEqual({ email: 'Ada@Example.com', name: 'Ada Lovelace' });
  });

  test('next may only be a path on this site', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
      const { location, browser } = await signIn('ada', next);
      expect(location).toBe('/');
      expect(sessionCookie(browser)).toBeDefined();
    }
  });

  test('a callback whose state was changed is refused', async () => {
    const browser = new TestBrowser();
    const callback = new URL(await signInAtProvider(browser, await start(browser), 'ada'));
    callback.searchParams.set('state', `${callback.searchParams.get('state')}x`);
    const before = quire.accounts.signedIn.length;
    const response = await browser.fetch(callback.href);
    expect(response.headers.get('location')).toBe('/signin?error=state_mismatch');
    expect(sessionCookie(browser)).toBeUndefined();
    expect(quire.accounts.signedIn.length).toBe(before);
  });

  test('a callback without the flow cookie, or with a forged one, is refused', async () => {
    const browser = new TestBrowser();
    const callback = await signInAtProvider(browser, await start(browser), 'ada');
    const flow = browser.cookie(quire.url, FLOW_COOKIE)!;
    browser.setCookie(quire.url, FLOW_COOKIE, undefined);
    expect((await browser.fetch(callback)).headers.get('location')).toBe('/signin?error=flow_invalid');
    const forged = `${flow.slice(0, 20)}${flow[20] === 'A' ? 'B' : 'A'}${flow.slice(21)}`;
    browser.setCookie(quire.url, FLOW_COOKIE, forged);
    expect((await browser.fetch(callback)).headers.get('location')).toBe('/signin?error=flow_invalid');
    expect(sessionCookie(browser)).toBeUndefined();
  });

  test("a code replayed into another sign-in's browser is refused (login CSRF)", async () => {
    // The attacker signs in as themselves and plants their callback in a victim's browser,
    // which has a sign-in of its own in progress.
    const attacker = new TestBrowser();
    const plantedCallback = await signInAtProvider(attacker, await start(attacker), 'ada');
    const victim = new TestBrowser();
    await start(victim);
    const response = await victim.fetch(plantedCallback);
    expect(response.headers.get('location')).toBe('/signin?error=state_mismatch');
    expect(sessionCookie(victim)).toBeUndefined();
  });

  test('an ID token issued for another nonce is refused', async () => {
    const browser = new TestBrowser();
    const callback = await signInAtProvider(browser, await start(browser), 'ada');
    // Same state and verifier (so the provider hands out tokens), another nonce expected.
    const key = flowKey(SECRET);
    const flow = openFlow(key, browser.cookie(quire.url, FLOW_COOKIE)!, Date.now()) as Flow;
    browser.setCookie(quire.url, FLOW_COOKIE, sealFlow(key, { ...flow, nonce: 'another-nonce-another-nonce-another' }));
    const response = await browser.fetch(callback);
    expect(response.headers.get('location')).toBe('/signin?error=nonce_mismatch');
    expect(sessionCookie(browser)).toBeUndefined();
  });

  test('a wrong PKCE verifier is refused by the provider', async () => {
    const browser = new TestBrowser();
    const callback = await signInAtProvider(browser, await start(browser), 'ada');
    const key = flowKey(SECRET);
    const flow = openFlow(key, browser.cookie(quire.url, FLOW_COOKIE)!, Date.now()) as Flow;
    browser.setCookie(quire.url, FLOW_COOKIE, sealFlow(key, { ...flow, codeVerifier: 'x'.repeat(43) }));
    expect((await browser.fetch(callback)).headers.get('location')).toBe('/signin?error=token_rejected');
  });

  test('a callback replayed with a copy of the used flow cookie is refused: codes are single-use', async () => {
    const browser = new TestBrowser();
    const callback = await signInAtProvider(browser, await start(browser), 'ada');
    const flow = browser.cookie(quire.url, FLOW_COOKIE)!;
    expect((await browser.fetch(callback)).headers.get('location')).toBe('/');
    const replay = new TestBrowser();
    replay.setCookie(quire.url, FLOW_COOKIE, flow);
    expect((await replay.fetch(callback)).headers.get('location')).toBe('/signin?error=token_rejected');
    expect(sessionCookie(replay)).toBeUndefined();
  });

  test('an expired flow is refused', async () => {
    const browser = new TestBrowser();
    const callback = await signInAtProvider(browser, await start(browser), 'ada');
    const key = flowKey(SECRET);
    const flow = openFlow(key, browser.cookie(quire.url, FLOW_COOKIE)!, Date.now()) as Flow;
    browser.setCookie(quire.url, FLOW_COOKIE, sealFlow(key, { ...flow, expiresAt: Date.now() - 1 }));
    expect((await browser.fetch(callback)).headers.get('location')).toBe('/signin?error=flow_expired');
  });

  test('an email the provider has not verified is refused, and so is no email at all', async () => {
    const before = quire.accounts.signedIn.length;
    const unverified = await signIn('eve');
    expect(unverified.location).toBe('/signin?error=email_unverified');
    expect(sessionCookie(unverified.browser)).toBeUndefined();
    const missing = await signIn('nomail');
    expect(missing.location).toBe('/signin?error=email_missing');
    expect(quire.accounts.signedIn.length).toBe(before);
  });

  test('a person who cancels at the provider is sent back to the sign-in page', async () => {
    const { callback, location, browser } = await signIn(null);
    expect(new URL(callback).searchParams.get('error')).toBe('access_denied');
    expect(location).toBe('/signin?error=provider_error');
    expect(sessionCookie(browser)).toBeUndefined();
  });

  test('an invite code given at the start reaches accounts with the verified email', async () => {
    const { location } = await signIn('ada', '/d/1', 'invite-code_1');
    expect(location).toBe('/d/1');
    expect(quire.accounts.signedIn.at(-1)).toEqual({ email: 'Ada@Example.com', name: 'Ada Lovelace', invite: 'invite-code_1' });
    const bad = await fetch(`${quire.url}/api/auth/oidc/start?invite=${encodeURIComponent('<script>')}`, { redirect: 'manual' });
    expect(bad.status).toBe(400);
  });

  test('a disabled account is refused', async () => {
    quire.accounts.disabled.add('Ada@Example.com');
    try {
      const { location, browser } = await signIn('ada');
      expect(location).toBe('/signin?error=account_disabled');
      expect(sessionCookie(browser)).toBeUndefined();
    } finally {
      quire.accounts.disabled.clear();
    }
  });

  test('when accounts refuse new people, the callback says registration is closed', async () => {
    quire.accounts.closed = true;
    try {
      const { location, browser } = await signIn('ada');
      expect(location).toBe('/signin?error=registration_closed');
      expect(sessionCookie(browser)).toBeUndefined();
    } finally {
      quire.accounts.closed = false;
    }
  });
});

describe('a provider that cannot be reached', () => {
  test('start answers 503 problem+json, the callback sends the person back, and nothing crashes', async () => {
    const down = startQuire(freePort(), `http://127.0.0.1:${freePort()}`);
    try {
      const response = await fetch(`${down.url}/api/auth/oidc/start`, { redirect: 'manual' });
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(((await response.json()) as { detail: string }).detail).toContain('cannot be reached');
      const flow: Flow = { state: 's', nonce: 'n', codeVerifier: 'v'.repeat(43), redirectUri: `${down.url}/api/auth/oidc/callback`, next: '/', expiresAt: Date.now() + 60_000 };
      const callback = await fetch(`${down.url}/api/auth/oidc/callback?code=c&state=s`, {
        redirect: 'manual',
        headers: { cookie: `${FLOW_COOKIE}=${sealFlow(flowKey(SECRET), flow)}` },
      });
      expect(callback.headers.get('location')).toBe('/signin?error=provider_unavailable');
    } finally {
      down.stop();
    }
  });
});
