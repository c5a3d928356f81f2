/** Page object of `/activity`: the feed of all documents. */
import { expect, type Locator, type Page } from '@playwright/test';

export class ActivityPage {
  readonly heading: Locator;
  readonly feed: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Activity', level: 1 });
    this.feed = page.getByRole('region', { name: 'Activity' });
  }

  async goto(): Promise<void> {
    await this.page.goto('/activity');
    await expect(this.heading).toBeVisible();
  }

  item(text: RegExp): Locator {
    return this.feed.getByRole('listitem', { name: text });
  }
}
