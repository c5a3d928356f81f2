/** Moving around the app by its links, the browser's back and forward buttons, and typed addresses. */
import { expect, test } from '../fixtures.ts';

test('the navigation marks the page on screen, back and forward work, and an unknown address says so', async ({ ada }) => {
  const page = ada.page;
  const nav = page.getByRole('navigation', { name: 'Main' });
  const documents = nav.getByRole('link', { name: 'Documents' });
  const activity = nav.getByRole('link', { name: 'Activity' });

  await ada.list.goto();
  await expect(documents).toHaveAttribute('aria-current', 'page');
  await activity.click();
  await expect(page.getByRole('heading', { name: 'Activity', level: 1 })).toBeVisible();
  await expect(activity).toHaveAttribute('aria-current', 'page');
  await expect(documents).not.toHaveAttribute('aria-current', 'page');

  await page.goBack();
  await expect(documents).toHaveAttribute('aria-current', 'page');
  await page.goForward();
  await expect(page.getByRole('heading', { name: 'Activity', level: 1 })).toBeVisible();

  // A trailing slash is the same page; an address below a document's that is not one of its pages is not found.
  await page.goto('/settings/');
  await expect(page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Settings' })).toHaveAttribute('aria-current', 'page');
  const id = await ada.createDocumentViaApi('Wayfinding');
  await page.goto(`/d/${id}/elsewhere`);
  await expect(page.getByRole('heading', { name: 'Page not found', level: 1 })).toBeVisible();

  await page.goto(`/d/${id}/history/`);
  await expect(page.getByRole('heading', { name: 'History of “Wayfinding”', level: 1 })).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'Page not found', level: 1 })).toBeVisible();
});
