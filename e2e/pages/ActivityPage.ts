/** Page object of `/activity`: the feed of all documents. */
import { expect, type Locator, type Page } from '@playwright/test';

export class ActivityPage {
  readonly heading: Locator;
  readonly feed: Locator;
  /** The filters: "Everyone" or a person; "All documents" or one. */
  readonly person: Locator;
  readonly document: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Activity', level: 1 });
    this.feed = page.getByRole('region', { name: 'Activity' });
    this.person = this.feed.getByRole('combobox', { name: 'Person' });
    this.document = this.feed.getByRole('combobox', { name: 'Document' });
  }

  async goto(): Promise<void> {
    await this.page.goto('/activity');
    await expect(this.heading).toBeVisible();
  }

  item(text: RegExp): Locator {
    return this.feed.getByRole('listitem', { name: text });
  }
}
