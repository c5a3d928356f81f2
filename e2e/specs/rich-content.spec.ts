/**
 * Rich documents in the browser: a pasted table and image survive a reload and reach the other
 * user; two people editing one table converge; a sentence typed a moment ago is found by search
 * and by the quick-open palette from any page;
 * a document exported as .docx and imported back keeps headings, lists, table and image.
 */
import type { Page } from '@playwright/test';
import { pngImage } from '../../server/test-support/images.ts';
import { expect, test } from '../fixtures.ts';

/** Pastes like a person would: a paste event carrying HTML or files, on the focused editor. */
async function paste(page: Page, clipboard: { html?: string; png?: number[] }): Promise<void> {
  await page.getByRole('textbox', { name: 'Document body' }).evaluate((editor, data) => {
    const transfer = new DataTransfer();
    if (data.html) transfer.setData('text/html', data.html);
    if (data.png) transfer.items.add(new File([new Uint8Array(data.png)], 'screenshot.png', { type: 'image/png' }));
    editor.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
  }, clipboard);
}

const cell = (type: string, text: string) => ({ type, content: [{ type: 'paragraph', content: text ? [{ type: 'text', text }] : [] }] });

test('a pasted table and image survive a reload and appear for the second user', async ({ ada, bob }) => {
  const id = await ada.createDocumentViaApi('Pasted things');
  await ada.editor.goto(id);
  await ada.editor.typeAtEnd('Figures:');
  await paste(ada.page, { html: '<table><tr><th>Region</th><th>Total</th></tr><tr><td>North</td><td>12</td></tr></table>' });
  await expect(ada.editor.body.getByRole('cell', { name: 'North' })).toBeVisible();
  await ada.editor.body.getByRole('cell', { name: '12' }).click();
  await ada.page.keyboard.press('ControlOrMeta+End');
  await paste(ada.page, { png: [...pngImage(30, 20)] });
  const image = ada.editor.body.locator('img');
  await expect(image).toHaveAttribute('src', /^\/api\/attachments\/[0-9a-f-]{36}$/);
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(30);
  await ada.editor.expectSynced();

  await ada.page.reload();
  await ada.editor.expectSynced();
  await expect(ada.editor.body.getByRole('columnheader', { name: 'Region' })).toBeVisible();
  await expect(ada.editor.body.locator('img')).toHaveCount(1);

  await bob.editor.goto(id);
  await expect(bob.editor.body.getByRole('cell', { name: 'North' })).toBeVisible();
  await expect.poll(() => bob.editor.body.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(30);
});

test('two people editing one table at once converge', async ({ ada, bob }) => {
  const table = { type: 'table', content: [{ type: 'tableRow', content: [cell('tableHeader', 'Name'), cell('tableHeader', 'Score')] }, { type: 'tableRow', content: [cell('tableCell', ''), cell('tableCell', '')] }] };
  const response = await ada.context.request.post('/api/documents', { data: { title: 'Scores', content: { type: 'doc', content: [table] } } });
  const { id } = (await response.json()) as { id: string };
  await ada.editor.goto(id);
  await bob.editor.goto(id);
  const cells = (page: Page) => page.getByRole('textbox', { name: 'Document body' }).getByRole('cell');
  await cells(ada.page).nth(0).click();
  await cells(bob.page).nth(1).click();
  await Promise.all([ada.page.keyboard.type('Ada Lovelace'), bob.page.keyboard.type('99')]);
  await ada.page.getByRole('toolbar', { name: 'Insert' }).getByRole('button', { name: 'Add row below' }).click();
  await bob.page.getByRole('toolbar', { name: 'Insert' }).getByRole('button', { name: 'Add column right' }).click();
  const shape = (page: Page) =>
    page.getByRole('textbox', { name: 'Document body' }).locator('table').evaluate((element: HTMLTableElement) =>
      [...element.rows].map((row) =>
        [...row.cells].map((cell) => {
          // Other people's carets (with their names) sit inside the cells: not content.
          const copy = cell.cloneNode(true) as HTMLElement;
          copy.querySelectorAll('.collaboration-carets__caret').forEach((caret) => caret.remove());
          return copy.textContent;
        }),
      ),
    );
  await expect.poll(async () => JSON.stringify(await shape(ada.page)) === JSON.stringify(await shape(bob.page))).toBe(true);
  const final = await shape(ada.page);
  expect(final.length).toBe(3);
  expect(final.every((row) => row.length === 3)).toBe(true);
  expect(final.flat()).toEqual(expect.arrayContaining(['Ada Lovelace', '99']));
});

test('search finds a sentence typed a few seconds ago, and quick open goes to it', async ({ ada }) => {
  const id = await ada.createDocumentViaApi('Field notes');
  await ada.editor.goto(id);
  await ada.editor.typeAtEnd('An albatross circled the northern harbour at noon.');
  await ada.editor.expectSynced();
  await ada.list.goto();
  const search = ada.page.getByRole('searchbox', { name: 'Search in documents' });
  const result = ada.page.getByRole('list', { name: 'Search results' }).getByRole('link', { name: 'Field notes' });
  await search.fill('albatross harbour');
  // The index follows edits a few seconds behind: until it has the sentence, ask again as a
  // person would, with Enter.
  await expect(async () => {
    await search.press('Enter');
    await expect(result).toBeVisible({ timeout: 1500 });
  }).toPass({ timeout: 15_000 });
  await expect(ada.page.getByRole('list', { name: 'Search results' }).locator('mark').first()).toHaveText('albatross');

  await ada.page.keyboard.press('ControlOrMeta+Shift+P');
  await ada.page.getByRole('combobox', { name: 'Find a document' }).fill('northern alba');
  await expect(ada.page.getByRole('option', { name: /Field notes/ })).toBeVisible();
  await ada.page.keyboard.press('Enter');
  await expect(ada.page).toHaveURL(new RegExp(`/d/${id}$`));

  // The shortcut works from every signed-in page, not just the list and the editor.
  await ada.page.goto('/activity');
  await expect(ada.page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await ada.page.keyboard.press('ControlOrMeta+Shift+P');
  await ada.page.getByRole('combobox', { name: 'Find a document' }).fill('albatross');
  await ada.page.getByRole('listbox', { name: 'Documents found' }).getByRole('option', { name: /Field notes/ }).click();
  await expect(ada.page).toHaveURL(new RegExp(`/d/${id}$`));
});

test('a document exported as .docx imports back with headings, lists, table and image intact', async ({ ada }) => {
  const response = await ada.context.request.post('/api/documents', {
    data: {
      title: 'Travel report',
      content: {
        type: 'doc',
        content: [
          { type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Journey' }] },
          { type: 'bulletList', content: ['Lisbon', 'Porto'].map((text) => ({ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] })) },
          { type: 'table', content: [{ type: 'tableRow', content: [cell('tableHeader', 'City'), cell('tableHeader', 'Nights')] }, { type: 'tableRow', content: [cell('tableCell', 'Lisbon'), cell('tableCell', '3')] }] },
        ],
      },
    },
  });
  const { id } = (await response.json()) as { id: string };
  await ada.editor.goto(id);
  await ada.editor.body.getByRole('cell', { name: '3' }).click();
  await ada.page.keyboard.press('ControlOrMeta+End');
  await paste(ada.page, { png: [...pngImage(12, 12)] });
  await expect(ada.editor.body.locator('img')).toHaveCount(1);
  await ada.editor.expectSynced();

  await ada.page.getByText('Export', { exact: true }).click();
  const [download] = await Promise.all([ada.page.waitForEvent('download'), ada.page.getByRole('link', { name: 'Word (.docx)' }).click()]);
  expect(download.suggestedFilename()).toBe('Travel report.docx');
  const file = await download.path();

  await ada.list.goto();
  await ada.page.getByLabel('File to import').setInputFiles({ name: 'Travel report (copy).docx', mimeType: 'application/octet-stream', buffer: await import('node:fs').then((fs) => fs.readFileSync(file)) });
  await expect(ada.page).toHaveURL(/\/d\/[0-9a-f-]{36}$/);
  expect(ada.page.url()).not.toContain(id);
  await ada.editor.expectSynced();
  await expect(ada.editor.body.getByRole('heading', { name: 'Journey' })).toBeVisible();
  await expect(ada.editor.body.getByRole('listitem').filter({ hasText: 'Porto' })).toBeVisible();
  await expect(ada.editor.body.getByRole('columnheader', { name: 'Nights' })).toBeVisible();
  await expect(ada.editor.body.getByRole('cell', { name: 'Lisbon' })).toBeVisible();
  await expect.poll(() => ada.editor.body.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(12);
});
