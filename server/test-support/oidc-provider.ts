/**
 * A real OpenID provider for tests: `oidc-provider` (a certified implementation) in a child
 * process on a free loopback port, with its development login and consent pages, plus a small
 * cookie-keeping "browser" that signs in there the way a person would, one redirect at a time.
 *
 * Run as a script, this file is the child: it reads its clients and accounts from the
 * environment, listens on 127.0.0.1:0 and prints `{"issuer": ...}` on one line.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A person known to the provider; the key of `accounts` is the login typed on its form. */
export interface ProviderAccount {
  email?: string;
  email_verified?: boolean;
  name?: string;
}

/** A client registered at the provider (Quire, with its callback URL). */
export interface ProviderClient {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
}

export interface ProviderOptions {
  clients: ProviderClient[];
  accounts: Record<string, ProviderAccount>;
}

/** A provider running in a child process. */
export interface RunningProvider {
  issuer: string;
  stop(): Promise<void>;
}

/** Starts the provider; rejects (and leaves no process behind) if it does not come up in 15 s. */
export async function startOidcProvider(options: ProviderOptions): Promise<RunningProvider> {
  const child = Bun.spawn([process.execPath, import.meta.path], {
    env: { ...process.env, QUIRE_TEST_PROVIDER: JSON.stringify(options) },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const stderr = new Response(child.stderr).text();
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const reader = child.stdout.getReader();
  let output = '';
  while (!output.includes('\n')) {
    const { value, done } = await reader.read();
    if (done) {
      clearTimeout(timer);
      throw new Error(`the OpenID provider did not start: ${await stderr}`);
    }
    output += new TextDecoder().decode(value);
  }
  clearTimeout(timer);
  reader.releaseLock();
  const { issuer } = JSON.parse(output.slice(0, output.indexOf('\n'))) as { issuer: string };
  return {
    issuer,
    async stop() {
      child.kill('SIGTERM');
      await child.exited;
    },
  };
}

/** A browser's cookie jar and redirects, by hand: every hop is visible to the test. */
export class TestBrowser {
  private readonly jars = new Map<string, Map<string, string>>();

  /** Sends a request with this browser's cookies for the URL's origin; never follows redirects. */
  async fetch(url: string, init: { method?: string; form?: Record<string, string>; json?: unknown } = {}): Promise<Response> {
    const target = new URL(url);
    const jar = this.jars.get(target.origin) ?? new Map<string, string>();
    this.jars.set(target.origin, jar);
    const headers = new Headers();
    if (jar.size > 0) headers.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '));
    let body: string | undefined;
    if (init.form) {
      headers.set('content-type', 'application/x-www-form-urlencoded');
      body = new URLSearchParams(init.form).toString();
    } else if (init.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(init.json);
    }
    const response = await fetch(target, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute) || /^\s*expires=thu, 01 jan 1970/i.test(attribute));
      if (expired) jar.delete(name);
      else jar.set(name, pair.slice(index + 1).trim());
    }
    return response;
  }

  /** The value of a cookie this browser holds for an origin. */
  cookie(origin: string, name: string): string | undefined {
    return this.jars.get(new URL(origin).origin)?.get(name);
  }

  /** Replaces (or with undefined removes) a cookie, as a tampering user could. */
  setCookie(origin: string, name: string, value: string | undefined): void {
    const jar = this.jars.get(new URL(origin).origin) ?? new Map<string, string>();
    this.jars.set(new URL(origin).origin, jar);
    if (value === undefined) jar.delete(name);
    else jar.set(name, value);
  }
}

/**
 * Follows an authorization URL through the provider's login and consent pages as `login` (null:
 * cancel on the login page), and returns the URL it finally redirects to: the client's
 * callback, with `code` and `state` (or `error`).
 */
export async function signInAtProvider(browser: TestBrowser, authorizationUrl: string, login: string | null): Promise<string> {
  const provider = new URL(authorizationUrl).origin;
  let url = authorizationUrl;
  let form: Record<string, string> | undefined;
  for (let hop = 0; hop < 20; hop++) {
    const response = await browser.fetch(url, { form });
    form = undefined;
    const location = response.headers.get('location');
    if (location) {
      url = new URL(location, url).href;
      if (new URL(url).origin !== provider) return url;
      continue;
    }
    const page = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
    const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1];
    if (response.status !== 200 || !action || !prompt) throw new Error(`unexpected provider page ${response.status}: ${page.slice(0, 500)}`);
    url = new URL(action, url).href;
    if (login === null) url = `${url}/abort`;
    else form = prompt === 'login' ? { prompt, login, password: 'any' } : { prompt };
  }
  throw new Error('the provider redirected too many times');
}

interface ProviderClass {
  new (
    issuer: string,
    configuration: {
      clients: object[];
      claims: Record<string, string[]>;
      findAccount(context: unknown, id: string): Promise<{ accountId: string; claims(): object } | undefined>;
      cookies: { keys: string[] };
      pkce: { required(): boolean };
      features: Record<string, { enabled: boolean }>;
    },
  ): { callback(): (request: IncomingMessage, response: ServerResponse) => void };
}

/** The child process: one provider, its accounts fixed by the parent. */
async function serve(options: ProviderOptions): Promise<void> {
  // The package ships no types; this is the little of it used here.
  const packageName = 'oidc-provider';
  const { default: Provider } = (await import(packageName)) as { default: ProviderClass };
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: options.clients.map((client) => ({ ...client, grant_types: ['authorization_code'], response_types: ['code'] })),
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    async findAccount(_context, id) {
      const account = options.accounts[id];
      if (!account) return undefined;
      return { accountId: id, claims: () => ({ sub: id, ...account }) };
    },
    cookies: { keys: ['quire-test-provider-cookie-key'] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
  });
  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
}

if (import.meta.main) {
  await serve(JSON.parse(process.env.QUIRE_TEST_PROVIDER ?? '{}') as ProviderOptions);
}
