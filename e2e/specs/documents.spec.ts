/** Managing documents through the list, as seen by a second user. */
import { expect, test } from '../fixtures.ts';

test('sign in by choosing a name, and change it later', async ({ openUser }) => {
  const user = await openUser('Grace', { signedIn: false });
  await user.page.goto('/activity');
  await user.page.getByLabel('Display name').fill('Grace');
  await user.page.keyboard.press('Enter');
  await expect(user.activity.heading).toBeVisible();
  await expect(user.page.getByTestId('account-name')).toHaveText('Grace');

  await user.page.getByRole('button', { name: 'Change name' }).click();
  const dialog = user.page.getByRole('dialog', { name: 'Change your name' });
  await dialog.getByLabel('Display name').fill('Grace Hopper');
  await dialog.getByRole('button', { name: 'Save name' }).click();
  await expect(dialog).toBeHidden();
  await expect(user.page.getByTestId('account-name')).toHaveText('Grace Hopper');

  await user.page.reload();
  await expect(user.page.getByTestId('account-name')).toHaveText('Grace Hopper');
  await user.page.getByRole('button', { name: 'Sign out' }).click();
  await expect(user.page.getByLabel('Display name')).toHaveValue('Grace Hopper');
});

test('create, rename, filter and delete; a second user sees each change', async ({ ada, bob }) => {
  await bob.list.goto();
  await ada.list.goto();
  await ada.list.create('Quarterly plan');
  await ada.page.getByRole('link', { name: 'Documents' }).click();
  await expect(ada.list.row('Quarterly plan')).toBeVisible();
  await expect(bob.list.row('Quarterly plan')).toBeVisible();
  await expect(bob.list.row('Quarterly plan')).toContainText('by Ada');

  await ada.list.create('Meeting notes');
  await ada.list.goto();
  await ada.list.rename('Quarterly plan', 'Annual plan');
  await expect(bob.list.row('Annual plan')).toBeVisible();
  await expect(bob.list.row('Quarterly plan')).toHaveCount(0);

  await ada.list.filter.fill('annual');
  await expect(ada.list.rows()).toHaveCount(1);
  await expect(ada.list.row('Annual plan')).toBeVisible();
  await ada.list.filter.fill('no such title');
  await expect(ada.page.getByText('No documents match “no such title”')).toBeVisible();
  await ada.list.filter.fill('');
  await expect(ada.list.row('Meeting notes')).toBeVisible();
  await expect(ada.list.row('Annual plan')).toBeVisible();

  await ada.list.delete('Annual plan');
  await expect(bob.list.row('Annual plan')).toHaveCount(0);
  await expect(bob.list.row('Meeting notes')).toBeVisible();
});

test('deleting asks for confirmation and can be cancelled', async ({ ada }) => {
  await ada.createDocumentViaApi('Keep me');
  await ada.list.goto();
  await ada.list.row('Keep me').getByRole('button', { name: 'Delete Keep me' }).click();
  const dialog = ada.page.getByRole('dialog', { name: 'Delete document?' });
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await ada.page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(ada.list.row('Keep me')).toBeVisible();
});

test('the list pages through many documents', async ({ ada }) => {
  for (let index = 1; index <= 23; index++) {
    await ada.createDocumentViaApi(`Paged note ${String(index).padStart(2, '0')}`);
  }
  await ada.createDocumentViaApi('Not in the filter');
  await ada.list.goto();
  await ada.list.filter.fill('Paged note');
  await expect(ada.list.row('Not in the filter')).toHaveCount(0);
  await expect(ada.list.rows()).toHaveCount(20);
  await expect(ada.list.row('Paged note 23')).toBeVisible();
  await expect(ada.list.row('Paged note 01')).toHaveCount(0);
  await ada.list.loadMore.click();
  await expect(ada.list.rows()).toHaveCount(23);
  await expect(ada.list.row('Paged note 01')).toBeVisible();
  await expect(ada.list.loadMore).toHaveCount(0);
});

test('the title is editable in place', async ({ ada, bob }) => {
  const id = await ada.createDocumentViaApi('Draft');
  await ada.editor.goto(id);
  await bob.editor.goto(id);
  await ada.editor.rename('Final draft');
  await expect(bob.editor.title).toHaveValue('Final draft');
  await expect(bob.page).toHaveTitle('Final draft · Quire');
});

test('the layout works at phone width', async ({ openUser }) => {
  const user = await openUser('Mo', { viewport: { width: 390, height: 844 } });
  const id = await user.createDocumentViaApi('Pocket notes');
  await user.list.goto();
  await expect(user.list.row('Pocket notes')).toBeVisible();
  const overflow = () => user.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(await overflow()).toBeLessThanOrEqual(0);
  await user.editor.goto(id);
  await user.editor.typeAtEnd('Typing on a phone');
  await expect(user.editor.body).toContainText('Typing on a phone');
  await expect(user.editor.toolbar).toBeVisible();
  expect(await overflow()).toBeLessThanOrEqual(0);
});
