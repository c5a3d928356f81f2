/**
 * Many tabs in one browser: a browser allows six HTTP/1.1 connections per host, so if every tab
 * held its own activity stream the seventh tab could not even load its document list. One tab
 * holds the browser's one stream and relays it; when it closes, another takes over.
 */
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures.ts';
import { DocumentListPage } from '../pages/DocumentListPage.ts';
import { EditorPage } from '../pages/EditorPage.ts';

const TABS = 10;

/** A tab's sidebar says whether this tab holds the stream (`data-stream-holder`). */
async function holdsStream(page: Page): Promise<boolean> {
  return (await page.locator('.stream-status').getAttribute('data-stream-holder')) === 'this-tab';
}

test('ten tabs share one activity stream that survives closing the tab holding it @slow', async ({ ada, bob }) => {
  test.slow();
  const ids: string[] = [];
  for (let index = 1; index <= TABS; index++) ids.push(await ada.createDocumentViaApi(`Tab ${index}`));

  const tabs: Page[] = [bob.page];
  for (let index = 1; index < TABS; index++) tabs.push(await bob.context.newPage());
  for (const [index, page] of tabs.slice(0, TABS - 1).entries()) await new EditorPage(page).goto(ids[index] ?? '');

  // The tenth tab lists the documents and opens its own: nothing waits for a free connection.
  const last = tabs[TABS - 1] as Page;
  const list = new DocumentListPage(last);
  await list.goto();
  await expect(list.row(`Tab ${TABS}`)).toBeVisible();
  await list.open(`Tab ${TABS}`);
  const lastEditor = new EditorPage(last);
  await lastEditor.expectSynced();

  // A live event reaches it.
  const rename = (index: number, title: string) =>
    ada.context.request.patch(`/api/documents/${ids[index - 1]}`, { data: { title } });
  expect((await rename(TABS, 'Tab ten')).status()).toBe(200);
  await expect(lastEditor.activityItem(/^Ada renamed Tab 10 to Tab ten$/)).toBeVisible();

  // Exactly one tab holds the stream.
  await expect.poll(async () => (await Promise.all(tabs.map(holdsStream))).filter(Boolean).length).toBe(1);
  const holderIndex = (await Promise.all(tabs.map(holdsStream))).indexOf(true);
  const holder = tabs[holderIndex] as Page;
  const others = tabs.filter((page) => page !== holder);
  await holder.close();

  // Another tab takes over; events keep coming to every remaining tab, each once.
  await expect.poll(async () => (await Promise.all(others.map(holdsStream))).filter(Boolean).length).toBe(1);
  for (const page of others) {
    const index = tabs.indexOf(page) + 1;
    expect((await rename(index, `Renamed ${index}`)).status()).toBe(200);
    const line = new EditorPage(page).activityItem(new RegExp(`^Ada renamed (Tab ${index}|Tab ten) to Renamed ${index}$`));
    await expect(line).toHaveCount(1);
  }
  // Nothing was replayed twice by the takeover.
  if (holderIndex !== TABS - 1) await expect(lastEditor.activityItem(/^Ada renamed/)).toHaveCount(2);
});
