/** Page object of `/trash`: deleted documents, restored or deleted for good. */
import { expect, type Locator, type Page } from '@playwright/test';

export class TrashPage {
  readonly heading: Locator;
  readonly list: Locator;
  readonly status: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Trash', level: 1 });
    this.list = page.getByRole('list', { name: 'Trash' });
    this.status = page.getByRole('status');
  }

  /** Opens the trash from the app's navigation. */
  async open(): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Trash' }).click();
    await expect(this.heading).toBeVisible();
  }

  row(title: string): Locator {
    return this.list.getByRole('listitem', { name: title, exact: true });
  }

  async restore(title: string): Promise<void> {
    await this.row(title).getByRole('button', { name: `Restore ${title}` }).click();
    await expect(this.status).toContainText(`Restored “${title}”.`);
    await expect(this.row(title)).toHaveCount(0);
  }

  /** "Delete forever", confirmed. */
  async deleteForever(title: string): Promise<void> {
    await this.row(title).getByRole('button', { name: `Delete ${title} forever` }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Delete forever?' });
    await expect(dialog).toContainText(title);
    await dialog.getByRole('button', { name: 'Delete forever' }).click();
    await expect(dialog).toBeHidden();
    await expect(this.row(title)).toHaveCount(0);
  }
}
