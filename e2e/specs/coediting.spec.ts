/** Two people in one document: both texts, named carets, presence, own-only undo. */
import path from 'node:path';
import { expect, test } from '../fixtures.ts';
import { sideBySide } from '../support/screenshot.ts';

test('two users co-edit a document and see each other', async ({ ada, bob, browser }, testInfo) => {
  await ada.list.goto();
  const id = await ada.list.create('Launch plan');
  await ada.editor.expectSynced();
  await bob.editor.goto(id);

  await ada.editor.typeAtEnd('Hello from Ada. ');
  await expect(bob.editor.body).toContainText('Hello from Ada.');
  await bob.editor.typeAtEnd('Bob was here.');

  for (const user of [ada, bob]) {
    await expect.poll(() => user.editor.text()).toBe('Hello from Ada. Bob was here.');
  }
  await expect(ada.editor.caretOf('Bob')).toBeVisible();
  await expect(bob.editor.caretOf('Ada')).toBeVisible();
  await expect(ada.editor.avatarOf('Bob')).toBeVisible();
  await expect(ada.editor.avatarOf('Ada (you)')).toBeVisible();
  await expect(bob.editor.avatarOf('Ada')).toBeVisible();

  // Some structure for the picture in the README.
  await ada.editor.body.click();
  await ada.page.keyboard.press('ControlOrMeta+Home');
  await ada.editor.type('Launch checklist\n');
  await ada.page.keyboard.press('ArrowUp');
  await ada.editor.tool('Heading 2').click();
  await expect(ada.editor.tool('Heading 2')).toHaveAttribute('aria-pressed', 'true');
  await expect(bob.editor.body.getByRole('heading', { name: 'Launch checklist' })).toBeVisible();
  await bob.editor.typeAtEnd(' Ship the beta on Friday.');
  await expect(ada.editor.body).toContainText('Ship the beta on Friday.');
  await expect(ada.editor.caretOf('Bob')).toBeVisible();
  await expect(bob.editor.caretOf('Ada')).toBeVisible();
  await sideBySide(
    browser,
    [
      { caption: "Ada's browser", page: ada.page },
      { caption: "Bob's browser", page: bob.page },
    ],
    // Into this run's output, so tests leave the tree clean; `npm run screenshot` sets
    // QUIRE_SCREENSHOT_OUT to update the README's picture in docs/.
    process.env.QUIRE_SCREENSHOT_OUT ? path.resolve(process.env.QUIRE_SCREENSHOT_OUT) : testInfo.outputPath('screenshot-coediting.png'),
  );
});

test('the toolbar shows active marks and undo only reverts your own edits', async ({ ada, bob }) => {
  const id = await ada.createDocumentViaApi('Undo test');
  await ada.editor.goto(id);
  await bob.editor.goto(id);

  await ada.editor.typeAtEnd('Ada line');
  await expect(bob.editor.body).toContainText('Ada line');
  await bob.editor.typeAtEnd(' and Bob words');
  await expect.poll(() => ada.editor.text()).toBe('Ada line and Bob words');

  await ada.editor.tool('Undo').click();
  for (const user of [ada, bob]) {
    await expect(user.editor.body).toContainText('and Bob words');
    await expect(user.editor.body).not.toContainText('Ada line');
  }
  await ada.editor.tool('Redo').click();
  await expect.poll(() => bob.editor.text()).toBe('Ada line and Bob words');

  await ada.editor.body.click();
  await ada.page.keyboard.press('ControlOrMeta+a');
  await ada.editor.tool('Bold').click();
  await expect(ada.editor.tool('Bold')).toHaveAttribute('aria-pressed', 'true');
  await expect(bob.editor.body.locator('strong')).toHaveText('Ada line and Bob words');
  await expect(ada.page.getByText('5 words', { exact: true })).toBeVisible();
});
