/**
 * What the client scenarios share: the built client served by a Quire started for the run, a
 * signed-in account with a document of generated paragraphs, and a headless Chromium whose
 * every context starts cold (empty cache, no service worker).
 */
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { RunningServer } from '../servers/launcher.ts';
import { REPO_ROOT } from '../servers/targets.ts';
import { withServer } from './server-session.ts';
import type { ScenarioContext } from './types.ts';

/** Settings the client scenarios change on top of QUIRE_BENCH_SETTINGS (printed in their notes). */
export const CLIENT_SCENARIO_SETTINGS: Readonly<Record<string, string>> = { CLIENT_DIR: 'client/dist' };
export const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const VIEWPORT = { width: 1280, height: 900 };
/** Every generated paragraph ends with its number, so a page can tell the document's content arrived. */
export const PARAGRAPH_MARKER = 'paragraph';

let build: Promise<void> | null = null;

/** Runs `npm run build` once per bench run (it returns at once when the client is up to date). */
function ensureClientBuilt(log: (message: string) => void): Promise<void> {
  build ??= (async () => {
    log('  building the client (skipped when up to date)');
    const child = Bun.spawn([process.execPath, 'scripts/build-client.ts'], { cwd: REPO_ROOT, stdout: 'ignore', stderr: 'pipe' });
    const [code, stderr] = await Promise.all([child.exited, new Response(child.stderr).text()]);
    if (code !== 0) throw new Error(`client build failed (${code}): ${stderr.split('\n').slice(-5).join(' ')}`);
  })();
  return build;
}

/** `count` paragraphs of prose, one to a line of Markdown. */
export function paragraphs(count: number): string {
  const words = 'the quick brown fox jumps over a lazy dog while seven writers edit one shared page together'.split(' ');
  return Array.from({ length: count }, (_, index) => {
    const sentence = Array.from({ length: 14 }, (_, word) => words[(index * 3 + word) % words.length]).join(' ');
    return `${sentence[0]?.toUpperCase()}${sentence.slice(1)}, ${PARAGRAPH_MARKER} ${index + 1}.`;
  }).join('\n\n');
}

/** Creates a document from Markdown through the import route; returns its id. */
export async function importDocument(server: RunningServer, title: string, markdown: string): Promise<string> {
  const form = new FormData();
  form.append('file', new File([`# ${title}\n\n${markdown}\n`], `${title}.md`, { type: 'text/markdown' }));
  const response = await fetch(`${server.httpUrl}/api/documents/import`, { method: 'POST', headers: { authorization: `Bearer ${server.token}` }, body: form });
  if (response.status !== 201) throw new Error(`POST /api/documents/import answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

/** A running Quire serving the built client, and a Chromium to visit it with. */
export interface BrowserBench {
  server: RunningServer;
  browser: Browser;
  /** A fresh context signed in as the server's bench account: empty cache, no service worker. */
  coldContext(): Promise<BrowserContext>;
}

/** Builds the client, starts Quire serving it and Chromium, runs `work`, and stops both. */
export async function withBrowserBench<T>(context: ScenarioContext, work: (bench: BrowserBench) => Promise<T>): Promise<T> {
  await ensureClientBuilt(context.log);
  if (!existsSync(path.join(REPO_ROOT, 'client/dist/index.html'))) throw new Error('client/dist has no build');
  return withServer(
    context,
    'quire',
    async (server) => {
      const browser = await chromium.launch({ executablePath: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined, args: CHROMIUM_FLAGS });
      const onAbort = () => void browser.close();
      context.signal.addEventListener('abort', onAbort, { once: true });
      try {
        const coldContext = async () => {
          const browserContext = await browser.newContext({ baseURL: server.httpUrl, viewport: VIEWPORT });
          await browserContext.addCookies([{ name: 'quire_session', value: server.token, url: server.httpUrl }]);
          return browserContext;
        };
        return await work({ server, browser, coldContext });
      } finally {
        context.signal.removeEventListener('abort', onAbort);
        await browser.close();
      }
    },
    { env: CLIENT_SCENARIO_SETTINGS },
  );
}

/**
 * Installed before any page script: records in `window.__quireEditableAt` the `performance.now()`
 * (milliseconds since navigation start) at which the editor first is `contenteditable=true` and
 * holds the paragraph numbered `lastParagraph`.
 */
export async function recordEditableAt(page: Page, lastParagraph: number): Promise<void> {
  await page.addInitScript(
    ({ marker }) => {
      const check = () => {
        const editor = document.querySelector('.ProseMirror[contenteditable="true"]');
        if (!editor?.textContent?.includes(marker)) return false;
        (window as unknown as { __quireEditableAt: number }).__quireEditableAt = performance.now();
        return true;
      };
      const observer = new MutationObserver(() => check() && observer.disconnect());
      observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    },
    { marker: `${PARAGRAPH_MARKER} ${lastParagraph}.` },
  );
}

/** Waits for what `recordEditableAt` records and returns it. */
export async function editableAt(page: Page, timeoutMs: number): Promise<number> {
  const handle = await page.waitForFunction(() => (window as unknown as { __quireEditableAt?: number }).__quireEditableAt, null, { timeout: timeoutMs });
  return (await handle.jsonValue()) as number;
}
