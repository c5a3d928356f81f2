/**
 * Sharing as people meet it: a private document shared with one person, whose editor follows
 * every change of their role while it is open; a secret link opened by someone without an
 * account; and the document list's roles and filters.
 */
import { expect, test, type QuireUser } from '../fixtures.ts';
import { SignInScreen } from '../pages/AuthPages.ts';
import type { ShareDialog } from '../pages/ShareDialog.ts';

/** `owner` writes `text` into a new document titled `title` and opens its share dialog. */
async function shareNewDocument(owner: QuireUser, title: string, text: string): Promise<{ id: string; share: ShareDialog }> {
  const id = await owner.createDocumentViaApi(title);
  await owner.editor.goto(id);
  await owner.editor.typeAtEnd(text);
  await owner.editor.expectSynced();
  await owner.editor.share.open();
  return { id, share: owner.editor.share };
}

test('a viewer reads along, is promoted to editor and back without reloading, and is told when access ends', async ({ openUser }) => {
  test.slow();
  const alice = await openUser('Alice');
  const bob = await openUser('Bob');
  const { id, share } = await shareNewDocument(alice, 'Private plan', 'Only for Bob.');
  await share.generalAccess.selectOption({ label: 'Private' });
  await share.addPerson(bob.email, 'Bob');
  await expect(share.roleOf('Bob')).toHaveValue('viewer');
  await share.saveChanges();
  await share.close();

  await bob.editor.goto(id);
  /** Copies of the document Bob's browser keeps (IndexedDB databases named after it). */
  const keptCopies = () =>
    bob.page.evaluate(async (documentId) => (await indexedDB.databases()).filter((db) => db.name?.endsWith(`:${documentId}`)).length, id);
  await expect.poll(keptCopies).toBe(1);
  await expect(bob.editor.readOnlyBanner).toContainText('Only editors can change it.');
  await expect(bob.editor.toolbar).toHaveCount(0);
  await expect(bob.editor.title).not.toBeEditable();
  await expect(bob.editor.body).not.toBeEditable();
  await expect(bob.editor.avatarOf('Alice')).toBeVisible();
  await expect(alice.editor.avatarOf('Bob')).toBeVisible();

  // Bob tries to type; Alice's next words reaching him prove his attempt had its chance to travel.
  await bob.editor.body.click();
  await bob.page.keyboard.press('ControlOrMeta+End');
  await bob.page.keyboard.type('Bob was here.');
  await alice.editor.typeAtEnd(' Noted.');
  for (const user of [alice, bob]) await expect.poll(() => user.editor.text()).toBe('Only for Bob. Noted.');

  // Promoted while his page stays open: the marker set on this page load must survive.
  await bob.page.evaluate(() => ((window as { samePageLoad?: boolean }).samePageLoad = true));
  await share.open();
  await share.setRole('Bob', 'Editor');
  await share.saveChanges();
  await share.close();
  await expect(bob.editor.readOnlyBanner).toHaveCount(0);
  await expect(bob.editor.toolbar).toBeVisible();
  await expect(bob.editor.title).toBeEditable();
  await bob.editor.typeAtEnd(' Bob agrees.');
  await expect.poll(() => alice.editor.text()).toBe('Only for Bob. Noted. Bob agrees.');
  expect(await bob.page.evaluate(() => (window as { samePageLoad?: boolean }).samePageLoad)).toBe(true);
  await bob.editor.expectSynced();

  // Back to viewer: read-only at once, and said so.
  await share.open();
  await share.setRole('Bob', 'Viewer');
  await share.saveChanges();
  await share.close();
  await expect(bob.editor.readOnlyBanner).toBeVisible();
  await expect(bob.editor.toolbar).toHaveCount(0);
  await expect(bob.editor.body).not.toBeEditable();

  await share.open();
  await share.remove('Bob');
  await share.saveChanges();
  await share.close();
  await expect(bob.editor.lostAccessNotice).toBeVisible();
  await expect(bob.editor.body).toHaveCount(0);
  // Nothing of it stays in his browser: he had no unsent edits to hand back.
  await expect.poll(keptCopies).toBe(0);
});

test('anyone with the link reads the document without an account, and a reset link stops working', async ({ openUser, openVisitor }) => {
  test.slow();
  const alice = await openUser('Alice');
  const { share } = await shareNewDocument(alice, 'Public notes', 'Read me, anyone.');
  await share.generalAccess.selectOption({ label: 'Anyone with the link' });
  await share.generalRole.selectOption({ label: 'Can view' });
  await share.saveChanges();
  await expect(share.link).toHaveValue(/\/s\/[^/]+$/);
  const link = await share.link.inputValue();
  await share.close();

  const guest = await openVisitor('a guest');
  await guest.page.goto(link);
  await expect(guest.page.getByRole('textbox', { name: 'Document title' })).toHaveValue('Public notes');
  await expect.poll(() => guest.editor.text()).toBe('Read me, anyone.');
  await expect(guest.editor.readOnlyBanner).toBeVisible();
  await expect(guest.editor.toolbar).toHaveCount(0);
  await expect(guest.editor.body).not.toBeEditable();
  await expect(guest.editor.avatarOf('Alice')).toBeVisible();
  // It follows Alice live.
  await alice.editor.typeAtEnd(' Updated.');
  await expect.poll(() => guest.editor.text()).toBe('Read me, anyone. Updated.');

  // Signing in from the prompt comes back to the link.
  const cleo = await openUser('Cleo', { signedIn: false });
  await cleo.page.goto(link);
  await expect.poll(() => cleo.editor.text()).toBe('Read me, anyone. Updated.');
  await cleo.page.getByRole('link', { name: 'Sign in to edit or comment' }).click();
  await new SignInScreen(cleo.page).signIn(cleo.email, cleo.password);
  await expect(cleo.page).toHaveURL(link);
  await expect(cleo.page.getByTestId('account-name')).toHaveText('Cleo');
  await expect.poll(() => cleo.editor.text()).toBe('Read me, anyone. Updated.');

  await share.open();
  await share.resetLink();
  await expect(share.link).not.toHaveValue(link);
  await share.close();
  await guest.page.reload();
  await expect(guest.editor.invalidLinkNotice).toBeVisible();
});

test('the list shows each document with my role, and filters what I own and what was shared with me', async ({ openUser }) => {
  // Bob first: on a new server the first account is the admin, who owns everything.
  const bob = await openUser('Bob');
  const alice = await openUser('Alice');
  await alice.createDocumentViaApi('Alice owns this');
  const sharedId = await bob.createDocumentViaApi('Bob shares this');
  await bob.createDocumentViaApi('Bob keeps this open');
  const shared = await bob.context.request.put(`/api/documents/${sharedId}/access`, {
    data: { general: { scope: 'private', role: 'viewer' }, grants: [{ user: { id: await alice.accountId() }, role: 'viewer' }] },
  });
  expect(shared.status()).toBe(200);

  await alice.list.goto();
  await expect(alice.list.roleOf('Alice owns this')).toHaveText('Owner');
  await expect(alice.list.roleOf('Bob shares this')).toHaveText('Viewer');
  // Everyone in the workspace can edit a new document.
  await expect(alice.list.roleOf('Bob keeps this open')).toHaveText('Editor');
  await expect(alice.list.row('Bob shares this').getByRole('button', { name: /^(Rename|Delete) / })).toHaveCount(0);
  await expect(alice.list.row('Alice owns this').getByRole('button', { name: 'Delete Alice owns this' })).toBeVisible();

  await alice.list.ownership('Shared with me').click();
  await expect(alice.list.ownership('Shared with me')).toHaveAttribute('aria-pressed', 'true');
  await expect(alice.list.rows()).toHaveCount(1);
  await expect(alice.list.row('Bob shares this')).toBeVisible();
  await alice.page.reload();
  await expect(alice.list.ownership('Shared with me')).toHaveAttribute('aria-pressed', 'true');
  await expect(alice.list.rows()).toHaveCount(1);
  await expect(alice.list.row('Bob shares this')).toBeVisible();

  await alice.list.ownership('Owned by me').click();
  await expect(alice.list.row('Alice owns this')).toBeVisible();
  await expect(alice.list.rows()).toHaveCount(1);

  await alice.list.ownership('All').click();
  await expect(alice.list.row('Bob keeps this open')).toBeVisible();
  await expect(alice.list.row('Bob shares this')).toBeVisible();
  await expect(alice.list.row('Alice owns this')).toBeVisible();
});
