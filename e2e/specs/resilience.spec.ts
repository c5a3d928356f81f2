/** When the server goes away: offline state, edits kept, convergence; deleted and missing documents. */
import { expect, test } from '../fixtures.ts';

test('edits made while the server restarts survive and converge', async ({ ada, bob, server }) => {
  const id = await ada.createDocumentViaApi('Resilient');
  await ada.editor.goto(id);
  await bob.editor.goto(id);
  await ada.editor.typeAtEnd('Before the restart. ');
  await expect(bob.editor.body).toContainText('Before the restart.');

  await server.stop();
  for (const user of [ada, bob]) await expect(user.editor.connection).toContainText('Offline');

  await ada.editor.typeAtEnd('Ada wrote offline. ');
  await bob.editor.typeAtEnd('Bob wrote offline.');
  for (const user of [ada, bob]) {
    await expect(user.editor.connection).toContainText(/changes? kept on this device/);
  }
  await expect(ada.editor.body).toContainText('Ada wrote offline.');
  await expect(ada.editor.body).not.toContainText('Bob wrote offline.');

  await server.start();
  for (const user of [ada, bob]) {
    await user.editor.expectSynced();
    await expect(user.editor.body).toContainText('Ada wrote offline.');
    await expect(user.editor.body).toContainText('Bob wrote offline.');
    await expect(user.editor.body).toContainText('Before the restart.');
  }
  await expect.poll(async () => (await bob.editor.text()) === (await ada.editor.text())).toBe(true);

  // The activity stream resumed: the offline edits are in Bob's sidebar, each exactly once, and
  // each counts only its own words. A run of one person's edits is one line: open it to read each.
  const sidebar = bob.page.getByRole('complementary', { name: 'Activity' });
  const count = async (pattern: RegExp) => {
    for (const run of await sidebar.getByRole('button', { name: /^Show all/ }).all()) await run.click();
    return bob.editor.activityItem(pattern).count();
  };
  await expect.poll(() => count(/^Ada added 3 words to Resilient: .*Ada wrote offline/)).toBe(1);
  await expect.poll(() => count(/^Bob added 3 words to Resilient: .*Bob wrote offline/)).toBe(1);
  await expect.poll(() => count(/^Ada added 3 words to Resilient: .*Before the restart/)).toBe(1);

  // What converged was stored: a fresh load shows it.
  await bob.page.reload();
  await bob.editor.expectSynced();
  await expect(bob.editor.body).toContainText('Ada wrote offline.');
  await expect(bob.editor.body).toContainText('Bob wrote offline.');
});

test('a document deleted by someone else shows the deleted message', async ({ ada, bob }) => {
  const id = await ada.createDocumentViaApi('Doomed');
  await bob.editor.goto(id);
  await bob.editor.typeAtEnd('Working on it');

  await ada.list.goto();
  await ada.list.delete('Doomed');

  await expect(bob.editor.deletedNotice).toBeVisible();
  await expect(bob.editor.body).toHaveCount(0);
  await bob.page.getByRole('link', { name: 'Back to documents' }).click();
  await expect(bob.list.heading).toBeVisible();
});

test('a document that does not exist says so', async ({ ada }) => {
  await ada.page.goto('/d/no-such-document');
  await expect(ada.editor.notFoundNotice).toBeVisible();
  await expect(ada.editor.body).toHaveCount(0);
});
