/** Page object of `/`: the document list. */
import { expect, type Locator, type Page } from '@playwright/test';

export class DocumentListPage {
  readonly heading: Locator;
  readonly list: Locator;
  readonly filter: Locator;
  readonly newTitle: Locator;
  readonly createButton: Locator;
  readonly loadMore: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Documents', level: 1 });
    this.list = page.getByRole('list', { name: 'Documents' });
    this.filter = page.getByLabel('Filter by title');
    this.newTitle = page.getByLabel('New document title');
    this.createButton = page.getByRole('button', { name: 'New document' });
    this.loadMore = page.getByRole('button', { name: 'Load more documents' });
  }

  async goto(): Promise<void> {
    await this.page.goto('/');
    await expect(this.heading).toBeVisible();
  }

  /** One of "All", "Owned by me", "Shared with me". */
  ownership(label: 'All' | 'Owned by me' | 'Shared with me'): Locator {
    return this.page.getByRole('group', { name: 'Show' }).getByRole('button', { name: label, exact: true });
  }

  /** The role badge of a document's row ("Viewer", "Editor", "Owner"). */
  roleOf(title: string): Locator {
    return this.row(title).getByText(/^(Viewer|Editor|Owner)$/);
  }

  /** A document's row, found by its exact title. */
  row(title: string): Locator {
    return this.list.getByRole('listitem', { name: title, exact: true });
  }

  rows(): Locator {
    return this.list.getByRole('listitem');
  }

  /** Creates a document from the list; the app then opens it. Returns its id. */
  async create(title: string): Promise<string> {
    await this.newTitle.fill(title);
    await this.createButton.click();
    await expect(this.page).toHaveURL(/\/d\/[^/]+$/);
    return decodeURIComponent(new URL(this.page.url()).pathname.split('/').pop() ?? '');
  }

  async rename(from: string, to: string): Promise<void> {
    await this.row(from).getByRole('button', { name: `Rename ${from}` }).click();
    const input = this.page.getByRole('textbox', { name: `New title for ${from}` });
    await input.fill(to);
    await input.press('Enter');
    await expect(this.row(to)).toBeVisible();
  }

  /** What the list says after a delete ("Moved “Plan” to the trash."), with its Undo. */
  get status(): Locator {
    return this.page.getByRole('status').filter({ hasText: 'to the trash' });
  }

  /** Moves a document to the trash: no confirmation, the list offers Undo instead. */
  async delete(title: string): Promise<void> {
    await this.row(title).getByRole('button', { name: `Delete ${title}` }).click();
    await expect(this.status).toContainText(`Moved “${title}” to the trash.`);
    await expect(this.row(title)).toHaveCount(0);
  }

  async open(title: string): Promise<void> {
    await this.row(title).getByRole('link', { name: title, exact: true }).click();
    await expect(this.page).toHaveURL(/\/d\//);
  }
}
