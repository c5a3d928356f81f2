/**
 * Ten tabs of one browser behind the README's nginx (TLS, HTTP/2) in front of two instances over
 * PostgreSQL and Redis: every tab loads over HTTP/2, co-edits one document with the others
 * wherever its socket landed, and shows the document's activity live.
 */
import type { Page } from '@playwright/test';
import { expect, QuireUser, test as base } from '../fixtures.ts';
import { metricValue } from '../../server/test-support/metrics-text.ts';
import { createAccount, newTestAccount } from '../support/accounts.ts';
import { ProxiedDeployment } from '../support/proxied-deployment.ts';

const TABS = 10;

const test = base.extend<object, { deployment: ProxiedDeployment }>({
  deployment: [
    async ({}, use) => {
      const deployment = await ProxiedDeployment.start();
      await use(deployment);
      await deployment.stop();
    },
    { scope: 'worker', timeout: 90_000 },
  ],
});

/** The protocol of the page's navigation and of every resource it fetched (`h2` for HTTP/2). */
function protocolsOf(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')].map((entry) => (entry as PerformanceResourceTiming).nextHopProtocol),
  );
}

test('ten tabs over HTTP/2 through nginx co-edit one document across two instances and show its activity live @slow', async ({ browser, deployment }) => {
  test.slow();
  const context = await browser.newContext({ baseURL: deployment.url, ignoreHTTPSErrors: true, viewport: { width: 1280, height: 800 } });
  const account = newTestAccount('Ada');
  await createAccount(context.request, account);
  const tabs: QuireUser[] = [];
  try {
    for (let index = 0; index < TABS; index++) tabs.push(new QuireUser(account, context, await context.newPage()));
    const id = await tabs[0]!.createDocumentViaApi('Ten tabs');
    for (const [index, tab] of tabs.entries()) {
      // nginx takes turns among both instances, request by request. Every tab makes the same
      // number of requests, so with an even count each socket would land where the last did:
      // one more request before every other tab shifts the turn, whatever the count.
      if (index % 2 === 1) expect((await context.request.get('/healthz')).status()).toBe(200);
      await tab.editor.goto(id);
    }

    for (const tab of tabs) {
      const protocols = await protocolsOf(tab.page);
      expect(protocols.length).toBeGreaterThan(1);
      expect(new Set(protocols)).toEqual(new Set(['h2']));
    }
    // The ten sockets are spread over both instances: edits cross Redis.
    const connections = await Promise.all(deployment.instances.map(async (url) => metricValue(await (await fetch(`${url}/metrics`)).text(), 'quire_sync_connections')));
    expect(connections.reduce((sum, count) => sum + count, 0)).toBe(TABS);
    expect(Math.min(...connections)).toBeGreaterThan(0);

    for (const [index, tab] of tabs.entries()) await tab.editor.typeAtEnd(`t${index + 1};`);
    for (const { editor } of tabs) {
      for (let index = 1; index <= TABS; index++) await expect(editor.body).toContainText(`t${index};`);
      await editor.expectSynced();
      // One burst, or several (one per instance, or split by a pause) told as one line.
      await expect(editor.activityItem(/^Ada (added \d+ words|made \d+ edits) to Ten tabs/)).toBeVisible();
    }

    const renamed = await context.request.patch(`/api/documents/${id}`, { data: { title: 'Seen by ten tabs' } });
    expect(renamed.status()).toBe(200);
    for (const { editor } of tabs) await expect(editor.activityItem(/^Ada renamed Ten tabs to Seen by ten tabs$/)).toHaveCount(1);
  } finally {
    await context.close();
  }
  for (const [index, tab] of tabs.entries()) {
    // The test's certificate is its own authority: Chromium will not install the service worker
    // from it, whatever the context ignores, and Quire works without one (a real certificate has it).
    const errors = tab.consoleErrors.filter((error) => error !== 'An SSL certificate error occurred when fetching the script.');
    expect(errors, `console errors in tab ${index + 1}`).toEqual([]);
  }
});
