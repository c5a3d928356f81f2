/**
 * Test fixtures: one real server per worker, and signed-in users, each in their own browser
 * context, whose pages must finish a test without console errors.
 */
import { test as base, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ActivityPage } from './pages/ActivityPage.ts';
import { DocumentListPage } from './pages/DocumentListPage.ts';
import { EditorPage } from './pages/EditorPage.ts';
import { createAccount, newTestAccount, signOutAccount, type TestAccount } from './support/accounts.ts';
import { QuireServer } from './support/server.ts';

/**
 * Browser messages about the network, not the app: failed loads while the server is away
 * (restart test), 404s the app handles (missing document), the sign-in check's 401, and the
 * service worker's script fetch failing on a cut network (the app goes on without the worker).
 */
const NETWORK_NOISE = [
  /^Failed to load resource/,
  /^WebSocket connection to .* failed/,
  /net::ERR_/,
  /EventSource/,
  /^An unknown error occurred when fetching the script\.$/,
];

/** Someone in their own browser context, whose page must finish a test without console errors. */
export class QuireVisitor {
  readonly editor: EditorPage;
  readonly consoleErrors: string[] = [];

  constructor(
    /** The name others see (as an account was created; a rename in a test does not change it here), or who a visitor is in failure messages. */
    readonly name: string,
    readonly context: BrowserContext,
    readonly page: Page,
  ) {
    this.editor = new EditorPage(page);
    page.on('console', (message) => {
      if (message.type() === 'error' && !NETWORK_NOISE.some((noise) => noise.test(message.text()))) {
        this.consoleErrors.push(message.text());
      }
    });
    page.on('pageerror', (error) => this.consoleErrors.push(`Uncaught: ${error.message}`));
  }
}

/** A person using Quire in their own browser context, with their own account. */
export class QuireUser extends QuireVisitor {
  readonly list: DocumentListPage;
  readonly activity: ActivityPage;
  readonly email: string;
  readonly password: string;

  constructor(account: TestAccount, context: BrowserContext, page: Page) {
    super(account.name, context, page);
    this.email = account.email;
    this.password = account.password;
    this.list = new DocumentListPage(page);
    this.activity = new ActivityPage(page);
  }

  /** The account's id, as the server knows it (for set-up over the API). */
  async accountId(): Promise<string> {
    const response = await this.context.request.get('/api/session');
    expect(response.status()).toBe(200);
    const body = (await response.json()) as { user: { id: string } };
    return body.user.id;
  }

  /**
   * A pattern of how feeds name this user: the name, then the email when someone else in the
   * same feed has that name too (every test makes its own "Ada", and the activity page shows
   * them all).
   */
  get feedName(): string {
    const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return `${escape(this.name)}(?: \\(${escape(this.email)}\\))?`;
  }

  /** Creates a document over the API (for set-up that is not itself under test). */
  async createDocumentViaApi(title: string): Promise<string> {
    const response = await this.context.request.post('/api/documents', { data: { title } });
    expect(response.status()).toBe(201);
    const body = (await response.json()) as { id: string };
    return body.id;
  }
}

interface UserOptions {
  /** Stay signed in after the account is made; false leaves the user at the sign-in screen. */
  signedIn?: boolean;
  viewport?: { width: number; height: number };
}

interface TestFixtures {
  /** Opens a browser context for a new account named `name` (a unique email, `TEST_PASSWORD`). */
  openUser: (name: string, options?: UserOptions) => Promise<QuireUser>;
  /** Opens a browser context of someone without an account (never signed in). */
  openVisitor: (name: string) => Promise<QuireVisitor>;
  ada: QuireUser;
  bob: QuireUser;
}

interface WorkerFixtures {
  server: QuireServer;
}

async function newUser(browser: Browser, baseURL: string, name: string, options: UserOptions): Promise<QuireUser> {
  const context = await browser.newContext({ baseURL, viewport: options.viewport });
  const account = newTestAccount(name);
  await createAccount(context.request, account);
  if (options.signedIn === false) await signOutAccount(context.request);
  return new QuireUser(account, context, await context.newPage());
}

/** Closes each context, then fails the test on any console error they logged (`beforeCheck` runs in between). */
async function closeAll(visitors: readonly QuireVisitor[], beforeCheck: (() => Promise<void>) | null): Promise<void> {
  for (const visitor of visitors) await visitor.context.close();
  await beforeCheck?.();
  for (const visitor of visitors) {
    expect(visitor.consoleErrors, `console errors in ${visitor.name}'s page`).toEqual([]);
  }
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  server: [
    async ({}, use, workerInfo) => {
      const server = new QuireServer();
      await server.start();
      await use(server);
      await server.dispose();
      // Warnings and errors the server logged, kept for whoever reads a failed run.
      mkdirSync(workerInfo.project.outputDir, { recursive: true });
      writeFileSync(path.join(workerInfo.project.outputDir, `server-worker-${workerInfo.workerIndex}.log`), server.recentLog());
    },
    { scope: 'worker', timeout: 30_000 },
  ],

  baseURL: async ({ server }, use) => {
    await use(server.url);
  },

  openUser: async ({ browser, server }, use, testInfo) => {
    const users: QuireUser[] = [];
    await use(async (name, options = {}) => {
      const user = await newUser(browser, server.url, name, options);
      users.push(user);
      return user;
    });
    await closeAll(users, testInfo.status !== testInfo.expectedStatus ? () => testInfo.attach('server log', { body: server.recentLog(), contentType: 'text/plain' }) : null);
  },

  openVisitor: async ({ browser, server }, use) => {
    const visitors: QuireVisitor[] = [];
    await use(async (name) => {
      const context = await browser.newContext({ baseURL: server.url });
      const visitor = new QuireVisitor(name, context, await context.newPage());
      visitors.push(visitor);
      return visitor;
    });
    await closeAll(visitors, null);
  },

  ada: async ({ openUser }, use) => {
    await use(await openUser('Ada'));
  },

  bob: async ({ openUser }, use) => {
    await use(await openUser('Bob'));
  },
});

export { expect };
