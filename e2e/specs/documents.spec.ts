/** Managing documents through the list, as seen by a second user. */
import { expect, test } from '../fixtures.ts';
import { SignInScreen } from '../pages/AuthPages.ts';
import { SettingsPage } from '../pages/SettingsPage.ts';

test('sign in with email and password, and change your name in settings', async ({ openUser }) => {
  const user = await openUser('Grace', { signedIn: false });
  await user.page.goto('/activity');
  await new SignInScreen(user.page).signIn(user.email, user.password);
  // The deep link survives signing in.
  await expect(user.activity.heading).toBeVisible();
  await expect(user.page.getByTestId('account-name')).toHaveText('Grace');

  const settings = new SettingsPage(user.page);
  await settings.open();
  await expect(settings.name).toHaveValue('Grace');
  await settings.rename('Grace Hopper');

  await user.page.reload();
  await expect(user.page.getByTestId('account-name')).toHaveText('Grace Hopper');
  await user.page.getByRole('button', { name: 'Sign out' }).click();
  const signIn = new SignInScreen(user.page);
  await expect(signIn.heading).toBeVisible();
  await expect(signIn.email).toHaveValue(user.email);
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

test('deleting moves to the trash at once, and Undo brings the document back', async ({ ada }) => {
  await ada.createDocumentViaApi('Keep me');
  await ada.list.goto();
  await ada.list.delete('Keep me');
  await ada.list.status.getByRole('button', { name: 'Undo' }).click();
  await expect(ada.list.row('Keep me')).toBeVisible();
  await expect(ada.list.status).toHaveCount(0);
  await ada.page.reload();
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
