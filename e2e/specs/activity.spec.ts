/** The live activity feed: the editor's sidebar and the activity page. */
import { expect, test } from '../fixtures.ts';

test("the second user's sidebar shows the first user's edit live", async ({ ada, bob }) => {
  const id = await ada.createDocumentViaApi('Roadmap');
  await ada.editor.goto(id);
  await bob.editor.goto(id);
  await expect(bob.editor.activityItem(/^Ada created Roadmap$/)).toBeVisible();

  await ada.editor.typeAtEnd('ship the beta');
  await expect(bob.editor.activityItem(/^Ada added 3 words to Roadmap: “ship the beta”$/)).toBeVisible();
  await expect(bob.editor.activityItem(/^Ada added 3 words to Roadmap/)).toContainText('just now');
  await expect(ada.editor.activityItem(/^Ada added 3 words to Roadmap/)).toHaveCount(1);
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
  await expect(bob.activity.item(line('added \\d+ words to Feed plan: “<b>not bold</b>”$'))).toBeVisible();
  await expect(bob.activity.feed.locator('b')).toHaveCount(0);

  // A reload replays history; the live tail must not double it.
  await bob.page.reload();
  await expect(bob.activity.item(line('created Feed roadmap$'))).toHaveCount(1);
  await expect(bob.activity.item(line('renamed Feed roadmap to Feed plan$'))).toHaveCount(1);
  await bob.activity.item(line('added \\d+ words to Feed plan')).getByRole('link', { name: 'Feed plan' }).click();
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

test('the activity page tells a run of events as one line, and filters by person and by document in its address', async ({ openUser }) => {
  // Names no other test uses, so the feed of every document names them without emails.
  const cleo = await openUser('Cleo Filterer');
  const dan = await openUser('Dan Filterer');
  await cleo.createDocumentViaApi('Cleo one');
  await cleo.createDocumentViaApi('Cleo two');
  await dan.createDocumentViaApi('Dan notes');
  const feed = cleo.activity;
  await feed.goto();
  await expect(feed.item(/^Dan Filterer created Dan notes$/)).toBeVisible();

  const run = feed.item(/^Cleo Filterer created 2 documents$/);
  await run.getByRole('button', { name: 'Show all 2' }).click();
  await expect(run.getByRole('listitem', { name: 'Cleo Filterer created Cleo one' })).toBeVisible();
  await expect(run.getByRole('listitem', { name: 'Cleo Filterer created Cleo two' })).toBeVisible();

  await feed.person.selectOption({ label: 'Dan Filterer' });
  await expect(feed.item(/^Dan Filterer created Dan notes$/)).toBeVisible();
  await expect(feed.item(/^Cleo Filterer/)).toHaveCount(0);
  // The filter is in the address: a reload keeps it.
  await cleo.page.reload();
  await expect(feed.person.locator('option:checked')).toHaveText('Dan Filterer');
  await expect(feed.item(/^Dan Filterer created Dan notes$/)).toBeVisible();
  await expect(feed.item(/^Cleo Filterer/)).toHaveCount(0);

  await feed.person.selectOption({ label: 'Everyone' });
  await feed.document.selectOption({ label: 'Cleo two' });
  await expect(feed.item(/^Cleo Filterer created Cleo two$/)).toBeVisible();
  await expect(feed.item(/created (Cleo one|Dan notes)$/)).toHaveCount(0);
  await cleo.page.reload();
  await expect(feed.document.locator('option:checked')).toHaveText('Cleo two');
  await expect(feed.item(/^Cleo Filterer created Cleo two$/)).toBeVisible();
  await expect(feed.item(/^Dan Filterer/)).toHaveCount(0);
});
