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
import { QuireServer } from './support/server.ts';

/**
 * Browser messages about the network, not the app: failed loads while the server is away
 * (restart test), 404s the app handles (missing document), the sign-in check's 401.
 */
const NETWORK_NOISE = [
  /^Failed to load resource/,
  /^WebSocket connection to .* failed/,
  /net::ERR_/,
  /EventSource/,
];

/** A person using Quire in their own browser context. */
export class QuireUser {
  readonly list: DocumentListPage;
  readonly editor: EditorPage;
  readonly activity: ActivityPage;
  readonly consoleErrors: string[] = [];

  constructor(
    readonly name: string,
    readonly context: BrowserContext,
    readonly page: Page,
  ) {
    this.list = new DocumentListPage(page);
    this.editor = new EditorPage(page);
    this.activity = new ActivityPage(page);
    page.on('console', (message) => {
      if (message.type() === 'error' && !NETWORK_NOISE.some((noise) => noise.test(message.text()))) {
        this.consoleErrors.push(message.text());
      }
    });
    page.on('pageerror', (error) => this.consoleErrors.push(`Uncaught: ${error.message}`));
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
  /** Sign in through the API first; false leaves the user at the sign-in screen. */
  signedIn?: boolean;
  viewport?: { width: number; height: number };
}

interface TestFixtures {
  /** Opens a browser context for a named user. */
  openUser: (name: string, options?: UserOptions) => Promise<QuireUser>;
  ada: QuireUser;
  bob: QuireUser;
}

interface WorkerFixtures {
  server: QuireServer;
}

async function newUser(browser: Browser, baseURL: string, name: string, options: UserOptions): Promise<QuireUser> {
  const context = await browser.newContext({ baseURL, viewport: options.viewport });
  if (options.signedIn !== false) {
    const response = await context.request.post('/api/session', { data: { name } });
    expect(response.status(), `signing in ${name}`).toBe(201);
  }
  return new QuireUser(name, context, await context.newPage());
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
    for (const user of users) await user.context.close();
    if (testInfo.status !== testInfo.expectedStatus) {
      await testInfo.attach('server log', { body: server.recentLog(), contentType: 'text/plain' });
    }
    for (const user of users) {
      expect(user.consoleErrors, `console errors in ${user.name}'s page`).toEqual([]);
    }
  },

  ada: async ({ openUser }, use) => {
    await use(await openUser('Ada'));
  },

  bob: async ({ openUser }, use) => {
    await use(await openUser('Bob'));
  },
});

export { expect };
