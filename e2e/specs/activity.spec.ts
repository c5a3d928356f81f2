/** The live activity feed: the editor's sidebar and the activity page. */
import { expect, test } from '../fixtures.ts';

test("the second user's sidebar shows the first user's edit live", async ({ ada, bob }) => {
  const id = await ada.createDocumentViaApi('Roadmap');
  await ada.editor.goto(id);
  await bob.editor.goto(id);
  await expect(bob.editor.activityItem(/^Ada created Roadmap$/)).toBeVisible();

  await ada.editor.typeAtEnd('ship the beta');
  await expect(bob.editor.activityItem(/^Ada edited Roadmap: \+13 'ship the beta'$/)).toBeVisible();
  await expect(bob.editor.activityItem(/^Ada edited Roadmap/)).toContainText('just now');
  await expect(ada.editor.activityItem(/^Ada edited Roadmap/)).toHaveCount(1);
});

test('the activity page shows every document, live and without duplicates', async ({ ada, bob }) => {
  // The page lists every document's events, earlier tests' "Ada"s among them: lines name this
  // test's Ada by `feedName`, which allows for her email beside the name.
  const line = (text: string) => new RegExp(`^${ada.feedName} ${text}`);
  await bob.activity.goto();
  const id = await ada.createDocumentViaApi('Feed roadmap');
  await expect(bob.activity.item(line('created Feed roadmap$'))).toBeVisible();

  const rename = await ada.context.request.patch(`/api/documents/${id}`, { data: { title: 'Feed plan' } });
  expect(rename.status()).toBe(200);
  await expect(bob.activity.item(line('renamed Feed roadmap to Feed plan$'))).toBeVisible();

  await ada.editor.goto(id);
  await ada.editor.typeAtEnd('<b>not bold</b>');
  await expect(bob.activity.item(line("edited Feed plan: \\+15 '<b>not bold</b>'$"))).toBeVisible();
  await expect(bob.activity.feed.locator('b')).toHaveCount(0);

  // A reload replays history; the live tail must not double it.
  await bob.page.reload();
  await expect(bob.activity.item(line('created Feed roadmap$'))).toHaveCount(1);
  await expect(bob.activity.item(line('renamed Feed roadmap to Feed plan$'))).toHaveCount(1);
  await bob.activity.item(line('edited Feed plan')).getByRole('link', { name: 'Feed plan' }).click();
  await expect(bob.editor.body).toContainText('<b>not bold</b>');
});

test('a tab holds a single activity stream', async ({ ada }) => {
  const streams: string[] = [];
  ada.page.on('request', (request) => {
    if (request.url().includes('/api/activity/stream')) streams.push(request.url());
  });
  await ada.createDocumentViaApi('Streams');
  await ada.activity.goto();
  await ada.page.getByRole('link', { name: 'Streams' }).click();
  await ada.editor.expectSynced();
  await ada.page.getByRole('link', { name: 'Activity' }).click();
  await ada.page.getByRole('link', { name: 'Documents' }).click();
  await ada.list.open('Streams');
  await expect(ada.editor.sidebar.getByRole('listitem')).toHaveCount(1);
  expect(streams).toHaveLength(1);
});
