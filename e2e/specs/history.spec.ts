/** History: who changed what, getting a deleted paragraph back, named versions, and the trash. */
import { expect, test, type QuireUser } from '../fixtures.ts';
import { HistoryPage } from '../pages/HistoryPage.ts';
import { TrashPage } from '../pages/TrashPage.ts';

const PARAGRAPHS = ['Goals for the quarter', 'Ship the beta to ten teams', 'Hire two engineers'];

/** The editor's text as the paragraphs run together (ProseMirror puts nothing between blocks). */
const joined = (paragraphs: readonly string[]) => paragraphs.join('');

/** Alice's lines in a feed: one burst of typing, or several told as one run. */
const ALICE_WROTE = /^Alice (added \d+ words to|made \d+ edits to) Project plan/;

/**
 * The text of a document's newest revision, as the REST API gives it. Alice may type in several
 * bursts on a busy machine; the feed shows the first before the last has ended.
 */
async function newestRevisionText(user: QuireUser, documentId: string): Promise<string> {
  const listed = await user.context.request.get(`/api/documents/${documentId}/revisions?limit=1`);
  const [newest] = ((await listed.json()) as { items: { id: number }[] }).items;
  if (!newest) return '';
  return (await (await user.context.request.get(`/api/documents/${documentId}/revisions/${newest.id}/content?format=text`)).text()).trim();
}

/** Selects the paragraph holding `text` and deletes it, block and all, as a person would with the keyboard. */
async function deleteParagraph(user: QuireUser, text: string): Promise<void> {
  await user.editor.body.getByText(text, { exact: true }).click();
  await user.page.keyboard.press('End');
  await user.page.keyboard.press('Shift+Home');
  await user.page.keyboard.press('Backspace');
  await user.page.keyboard.press('Backspace');
}

test('Bob deletes a paragraph, Alice sees it marked from the feed, restores it for both, and the trash keeps the history', async ({
  openUser,
}) => {
  test.slow();
  const alice = await openUser('Alice');
  const bob = await openUser('Bob');
  const id = await alice.createDocumentViaApi('Project plan');
  await alice.editor.goto(id);
  await bob.editor.goto(id);

  await alice.editor.typeAtEnd(PARAGRAPHS.join('\n'));
  await expect.poll(() => bob.editor.text()).toBe(joined(PARAGRAPHS));
  // Alice's bursts have ended (the feed tells it, and her newest revision holds all she typed)
  // before Bob starts: his change is a revision of its own.
  await expect(bob.editor.activityItem(ALICE_WROTE)).toBeVisible();
  await expect.poll(() => newestRevisionText(alice, id)).toBe(PARAGRAPHS.join('\n'));

  await deleteParagraph(bob, PARAGRAPHS[1]!);
  const withoutIt = [PARAGRAPHS[0]!, PARAGRAPHS[2]!];
  await expect.poll(() => alice.editor.text()).toBe(joined(withoutIt));

  // Alice follows the feed entry of Bob's edit to its changes.
  const bobsEdit = alice.editor.activityItem(/^Bob removed 6 words from Project plan$/);
  await bobsEdit.getByRole('link', { name: 'See changes' }).click();
  const history = new HistoryPage(alice.page);
  await expect(alice.page).toHaveURL(/\/history\?revision=\d+$/);
  await expect(history.current).toContainText('Bob');
  await expect(history.deletion(PARAGRAPHS[1]!)).toBeVisible();
  await expect(history.deletion(PARAGRAPHS[1]!)).toHaveAttribute('title', 'Removed by Bob');
  await expect(history.changes).toContainText(PARAGRAPHS[2]!);
  await expect(history.changes.getByRole('insertion')).toHaveCount(0);
  await expect(history.legend).toContainText('Bob removed');

  // The version before Bob's is Alice's newest one.
  await history.version(/^Alice /).first().click();
  await expect(history.current).toContainText('Alice');
  await expect(history.changes).toContainText(PARAGRAPHS[1]!);
  await expect(history.deletion(PARAGRAPHS[1]!)).toHaveCount(0);
  await history.restoreSelected();
  await expect(history.current).toHaveAccessibleName(/^Restored revision \d+ Alice · /);
  await expect(history.insertion(PARAGRAPHS[1]!)).toBeVisible();

  // Bob, still editing, gets the paragraph back live; so does Alice's editor.
  await expect.poll(() => bob.editor.text()).toBe(joined(PARAGRAPHS));
  await history.backToDocument.click();
  await alice.editor.expectSynced();
  await expect.poll(() => alice.editor.text()).toBe(joined(PARAGRAPHS));
  await expect(bob.editor.activityItem(/^Alice restored Project plan to an earlier version$/)).toBeVisible();

  // The restore is one step of Alice's undo, made on the history page: Ctrl+Z back in her editor
  // takes exactly it back (her own typing before it stays), for Bob too; Ctrl+Shift+Z redoes it.
  await alice.editor.body.focus();
  await alice.page.keyboard.press('ControlOrMeta+z');
  await expect.poll(() => alice.editor.text()).toBe(joined(withoutIt));
  await expect.poll(() => bob.editor.text()).toBe(joined(withoutIt));
  await alice.page.keyboard.press('ControlOrMeta+Shift+z');
  await expect.poll(() => bob.editor.text()).toBe(joined(PARAGRAPHS));
  await alice.editor.expectSynced();

  // Alice deletes the document: it goes to the trash, and Bob's editor says so.
  await alice.list.goto();
  await alice.list.delete('Project plan');
  await expect(bob.editor.deletedNotice).toBeVisible();
  const trash = new TrashPage(alice.page);
  await trash.open();
  await trash.restore('Project plan');

  // Back with its content and its whole history, Bob's edit in it. Bob gets there without
  // reloading: his tab saw the deletion, and must not hold it against the restored document.
  await bob.page.getByRole('link', { name: 'Back to documents' }).click();
  await bob.list.open('Project plan');
  await bob.editor.expectSynced();
  await expect.poll(() => bob.editor.text()).toBe(joined(PARAGRAPHS));
  await bob.page.getByRole('link', { name: 'History' }).click();
  const bobsHistory = new HistoryPage(bob.page);
  await expect(bobsHistory.version(/^Restored revision \d+ Alice · /)).toBeVisible();
  await bobsHistory.version(/^Bob Removed 6 words /).click();
  await expect(bobsHistory.deletion(PARAGRAPHS[1]!)).toBeVisible();
});

test('a named version stands out in the timeline; the editor toolbar opens the history', async ({ ada, bob }) => {
  const id = await ada.createDocumentViaApi('Board pack');
  await ada.editor.goto(id);
  await ada.editor.typeAtEnd('Revenue grew in every region');
  await expect(ada.editor.activityItem(/^Ada added 5 words to Board pack/)).toBeVisible();

  await ada.page.getByRole('link', { name: 'History' }).click();
  const history = new HistoryPage(ada.page);
  await expect(history.heading).toHaveText('History of “Board pack”');
  await expect(history.insertion('Revenue grew in every region')).toBeVisible();
  await history.nameVersion('Sent to the board');
  await expect(history.version(/^Named Sent to the board by Ada · /)).toHaveAttribute('aria-current', 'true');

  // Everyone who reads the document sees the name.
  const bobsHistory = new HistoryPage(bob.page);
  await bobsHistory.goto(id);
  await expect(bobsHistory.version(/^Named Sent to the board by Ada · /)).toBeVisible();
});

test('a document deleted forever from the trash is gone', async ({ ada }) => {
  const id = await ada.createDocumentViaApi('Scratch notes');
  await ada.list.goto();
  await ada.list.delete('Scratch notes');
  const trash = new TrashPage(ada.page);
  await trash.open();
  await expect(trash.row('Scratch notes')).toContainText('Deleted just now');
  await trash.deleteForever('Scratch notes');
  await ada.page.goto(`/d/${id}`);
  await expect(ada.editor.notFoundNotice).toBeVisible();
});
