/**
 * Accounts as people meet them: the first visitor of a new server creates the admin account,
 * invites a colleague who joins through the link, and the two, both named Alex, stay two people
 * in presence, carets and the feed. Signing in with a wrong password, signing up, settings, the
 * admin's guard against removing the last admin.
 */
import type { Browser } from '@playwright/test';
import { expect, QuireUser, test } from '../fixtures.ts';
import { AccountFormScreen, SignInScreen } from '../pages/AuthPages.ts';
import { AdminPage } from '../pages/AdminPage.ts';
import { SettingsPage } from '../pages/SettingsPage.ts';
import { createAccount, newTestAccount, signOutAccount, TEST_PASSWORD, type TestAccount } from '../support/accounts.ts';
import { QuireServer } from '../support/server.ts';

/** A server of its own, as `npm start` makes it: no accounts, registration by invite only. */
async function freshServer(): Promise<QuireServer> {
  const server = new QuireServer({ REGISTRATION: 'invite' });
  await server.start();
  return server;
}

/** Someone who will create their account through the UI of `server`. */
async function visitor(browser: Browser, server: QuireServer, account: TestAccount): Promise<QuireUser> {
  const context = await browser.newContext({ baseURL: server.url });
  return new QuireUser(account, context, await context.newPage());
}

test.describe('a new server', () => {
  let server: QuireServer;
  const people: QuireUser[] = [];
  test.beforeEach(async () => {
    server = await freshServer();
  });
  test.afterEach(async () => {
    for (const person of people.splice(0)) {
      await person.context.close();
      expect(person.consoleErrors, `console errors in ${person.name}'s page`).toEqual([]);
    }
    await server.dispose();
  });

  test('the first visitor creates the admin, invites Bob, and two people named Alex stay apart', async ({ browser }) => {
    test.slow();
    const alex = await visitor(browser, server, { name: 'Alex', email: 'alex@one.test', password: TEST_PASSWORD });
    const bob = await visitor(browser, server, { name: 'Bob', email: 'bob@two.test', password: TEST_PASSWORD });
    people.push(alex, bob);

    // First run: no sign-in form yet, only the admin account to create; then the documents.
    await alex.page.goto('/');
    await expect(alex.page.getByRole('heading', { name: 'Create the admin account' })).toBeVisible();
    await new AccountFormScreen(alex.page).submit(alex, 'Create admin account');
    await expect(alex.list.heading).toBeVisible();

    // The admin invites Bob by email from the admin page.
    const admin = new AdminPage(alex.page);
    await admin.open();
    await expect(admin.person('alex@one.test')).toContainText('Administrator');
    const link = await admin.invite('Member', bob.email);

    // Bob joins through the link in his own browser: who invited him, his email fixed.
    await bob.page.goto(link);
    await expect(bob.page.getByRole('heading', { name: 'Join Quire' })).toBeVisible();
    await expect(bob.page.getByText('Alex invited you')).toBeVisible();
    const join = new AccountFormScreen(bob.page);
    await expect(join.email).toHaveValue(bob.email);
    await expect(join.email).not.toBeEditable();
    await join.submit({ name: bob.name, password: bob.password }, 'Create account and join');
    await expect(bob.list.heading).toBeVisible();
    await expect(bob.page.getByTestId('account-name')).toHaveText('Bob');
    await expect(bob.page.getByRole('link', { name: 'Admin' })).toHaveCount(0);

    // The admin sees Bob in the list of people; the invite is used up.
    await alex.page.reload();
    await expect(admin.person(bob.email)).toContainText('Member');
    await expect(admin.person(bob.email)).toContainText('Active');
    const reuse = await bob.context.request.get(`/api/invites/${link.split('/').pop()}`);
    expect(reuse.status()).toBe(404);

    // Bob calls himself Alex too.
    const bobsSettings = new SettingsPage(bob.page);
    await bobsSettings.open();
    await bobsSettings.rename('Alex');

    // Both write in one document.
    await alex.page.getByRole('link', { name: 'Documents' }).click();
    const id = await alex.list.create('Two Alexes');
    await alex.editor.expectSynced();
    await bob.editor.goto(id);
    await alex.editor.typeAtEnd('Written by the first Alex. ');
    await bob.editor.typeAtEnd('Written by the second Alex.');
    await expect(alex.editor.body).toContainText('Written by the second Alex.');
    await expect(bob.editor.body).toContainText('Written by the first Alex.');

    // Presence: two avatars, told apart by email; the caret label says which Alex it is.
    await expect(alex.editor.presence.getByRole('listitem')).toHaveCount(2);
    await expect(alex.editor.avatarOf('Alex (alex@one.test) (you)')).toBeVisible();
    await expect(alex.editor.avatarOf('Alex (bob@two.test)')).toBeVisible();
    await expect(alex.editor.avatarOf('Alex (bob@two.test)')).toHaveText('A');
    await expect(bob.editor.avatarOf('Alex (alex@one.test)')).toBeVisible();
    await expect(alex.editor.caretOf('Alex (bob@two.test)')).toBeVisible();

    // The feed: two people edited, not one Alex twice.
    await expect(alex.editor.activityItem(/^Alex \(alex@one\.test\) added \d+ words? to Two Alexes/)).toBeVisible();
    await expect(alex.editor.activityItem(/^Alex \(bob@two\.test\) added \d+ words? to Two Alexes/)).toBeVisible();
    await bob.activity.goto();
    await expect(bob.activity.item(/^Alex \(bob@two\.test\) added \d+ words? to Two Alexes/)).toBeVisible();
    await expect(bob.activity.item(/^Alex \(alex@one\.test\) added \d+ words? to Two Alexes/)).toBeVisible();
  });

  test('the last admin cannot be demoted; a member made admin, then disabled, can no longer sign in', async ({ browser }) => {
    const alex = await visitor(browser, server, { name: 'Alex', email: 'alex@one.test', password: TEST_PASSWORD });
    const bob = await visitor(browser, server, { name: 'Bob', email: 'bob@two.test', password: TEST_PASSWORD });
    people.push(alex, bob);
    await alex.page.goto('/');
    await new AccountFormScreen(alex.page).submit(alex, 'Create admin account');
    await expect(alex.list.heading).toBeVisible();
    const admin = new AdminPage(alex.page);
    await admin.open();

    // Anyone with the link may use an invite that names no email.
    const link = await admin.invite('Member');
    await bob.page.goto(link);
    const join = new AccountFormScreen(bob.page);
    await expect(join.email).toBeEditable();
    await join.submit(bob, 'Create account and join');
    await expect(bob.list.heading).toBeVisible();

    await alex.page.reload();
    await admin.person(alex.email).getByRole('button', { name: 'Make member' }).click();
    const demote = admin.dialog('Make member?');
    await demote.getByRole('button', { name: 'Make member' }).click();
    await expect(demote.getByRole('alert')).toContainText('last active admin');
    await demote.getByRole('button', { name: 'Cancel' }).click();
    await expect(admin.person(alex.email)).toContainText('Administrator');

    await admin.person(bob.email).getByRole('button', { name: 'Make admin' }).click();
    await admin.dialog('Make administrator?').getByRole('button', { name: 'Make administrator' }).click();
    await expect(admin.person(bob.email)).toContainText('Administrator');

    await admin.person(bob.email).getByRole('button', { name: 'Disable' }).click();
    const disable = admin.dialog('Disable account?');
    await expect(disable).toContainText('bob@two.test');
    await disable.getByRole('button', { name: 'Disable' }).click();
    await expect(admin.person(bob.email)).toContainText('Disabled');

    // Bob's session ended with it; signing in again is refused, and says why.
    await bob.page.reload();
    const signIn = new SignInScreen(bob.page);
    await signIn.signIn(bob.email, bob.password);
    await expect(signIn.formError).toContainText('disabled');
  });
});

test('a wrong password is said beside the form; signing out returns to sign-in', async ({ openUser }) => {
  const user = await openUser('Wren', { signedIn: false });
  await user.page.goto('/');
  const signIn = new SignInScreen(user.page);
  await signIn.signIn(user.email, 'not the password at all');
  await expect(signIn.formError).toHaveText('Wrong email or password.');
  await expect(signIn.heading).toBeVisible();

  await signIn.password.fill(user.password);
  await signIn.submit.click();
  await expect(user.list.heading).toBeVisible();
  await expect(user.page.getByTestId('account-name')).toHaveText('Wren');

  await user.page.getByRole('button', { name: 'Sign out' }).click();
  await expect(signIn.heading).toBeVisible();
  await user.page.reload();
  await expect(signIn.heading).toBeVisible();
});

test('signing up while registration is open says what is wrong beside each field', async ({ openUser }) => {
  const taken = await openUser('Taken');
  const user = await openUser('Sol', { signedIn: false });
  await user.page.goto('/');
  await user.page.getByRole('link', { name: 'Create an account' }).click();
  await expect(user.page.getByRole('heading', { name: 'Create your Quire account' })).toBeVisible();
  const form = new AccountFormScreen(user.page);

  await form.submit({ name: '  ', email: 'not-an-email', password: 'short' }, 'Create account');
  await form.expectFieldError(form.name, /Enter your name/);
  await form.expectFieldError(form.email, /email address like/);
  await form.expectFieldError(form.password, /at least 10 characters/);
  await expect(form.name).toBeFocused();

  // The server's answer lands beside the field it is about: this email has an account already.
  await form.submit({ name: 'Sol', email: taken.email, password: TEST_PASSWORD }, 'Create account');
  await form.expectFieldError(form.email, /exists already/);
  await expect(form.name).not.toHaveAttribute('aria-invalid', 'true');

  await form.submit({ name: 'Sol', email: 'sol-signup@example.test', password: TEST_PASSWORD }, 'Create account');
  await expect(user.list.heading).toBeVisible();
  await expect(user.page.getByTestId('account-name')).toHaveText('Sol');
});

test('changing the password: a wrong current one is named beside its field; the new one signs in', async ({ openUser }) => {
  const user = await openUser('Pat');
  await user.list.goto();
  const settings = new SettingsPage(user.page);
  await settings.open();
  await settings.currentPassword.fill('not my password');
  await settings.newPassword.fill('a brand new passphrase');
  await settings.changePassword.click();
  await expect(settings.currentPassword).toHaveAccessibleDescription(/current password is wrong/);

  await settings.currentPassword.fill(user.password);
  await settings.changePassword.click();
  await expect(user.page.getByRole('status').filter({ hasText: 'Password changed' })).toBeVisible();

  await user.page.getByRole('button', { name: 'Sign out' }).click();
  const signIn = new SignInScreen(user.page);
  await signIn.signIn(user.email, 'a brand new passphrase');
  await expect(settings.heading).toBeVisible();
});

test('single sign-on: offered when configured, and a refused one says why', async ({ browser }) => {
  // The provider is never reached here: the button only links to the server's start route.
  const server = new QuireServer({
    OIDC_ISSUER: 'http://127.0.0.1:9/issuer',
    OIDC_CLIENT_ID: 'quire',
    OIDC_CLIENT_SECRET: 'secret-for-tests',
  });
  await server.start();
  const context = await browser.newContext({ baseURL: server.url });
  try {
    const page = await context.newPage();
    await createAccount(context.request, newTestAccount('Admin'));
    await signOutAccount(context.request);

    await page.goto('/d/some-document');
    const sso = page.getByRole('link', { name: 'Sign in with single sign-on' });
    await expect(sso).toHaveAttribute('href', `/api/auth/oidc/start?next=${encodeURIComponent('/d/some-document')}`);

    await page.goto('/signin?error=registration_closed');
    await expect(page.getByRole('alert')).toHaveText(/no Quire account for your email address/);
    await expect(sso).toHaveAttribute('href', '/api/auth/oidc/start?next=%2F');
  } finally {
    await context.close();
    await server.dispose();
  }
});
