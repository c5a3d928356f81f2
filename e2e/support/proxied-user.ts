/**
 * People whose browser reaches the server through a TcpProxy, so a test can take their network
 * away: a fresh context, or a persistent one (a browser profile on disk) that can be quit and
 * started again.
 */
import { chromium, type Browser } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { QuireUser } from '../fixtures.ts';
import { createAccount, newTestAccount, signInAccount, type TestAccount } from './accounts.ts';
import { CHROMIUM_ARGS, findChromium } from './browser.ts';
import type { TcpProxy } from './tcp-proxy.ts';

const VIEWPORT = { width: 1280, height: 800 };

/** A user with a new account in a new context of `browser`, signed in through `proxy`. */
export async function openProxiedUser(browser: Browser, proxy: TcpProxy, name: string): Promise<QuireUser> {
  const context = await browser.newContext({ baseURL: proxy.url, viewport: VIEWPORT });
  const account = newTestAccount(name);
  await createAccount(context.request, account);
  return new QuireUser(account, context, await context.newPage());
}

/** A browser with its own profile on disk, reaching the server through `proxy`. */
export class PersistentBrowser {
  readonly profileDir = mkdtempSync(path.join(tmpdir(), 'quire-profile-'));
  private account: TestAccount | null = null;
  private registered = false;

  constructor(private readonly proxy: TcpProxy) {}

  /** Starts the browser on the profile (again, after `quit`) and returns its first page as `name`. */
  async launch(name: string): Promise<QuireUser> {
    this.account ??= newTestAccount(name);
    const context = await chromium.launchPersistentContext(this.profileDir, {
      executablePath: findChromium(),
      args: CHROMIUM_ARGS,
      headless: true,
      baseURL: this.proxy.url,
      viewport: VIEWPORT,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    return new QuireUser(this.account, context, page);
  }

  /** Signs in (needs the network): the first time by creating the account. */
  async signIn(user: QuireUser): Promise<void> {
    const account = { name: user.name, email: user.email, password: user.password };
    if (this.registered) return signInAccount(user.context.request, account);
    await createAccount(user.context.request, account);
    this.registered = true;
  }

  /** Removes the profile. */
  dispose(): void {
    rmSync(this.profileDir, { recursive: true, force: true });
  }
}
