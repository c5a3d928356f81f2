/** Page object of `/d/:id/history`: a document's versions and the selected one's changes. */
import { expect, type Locator, type Page } from '@playwright/test';

export class HistoryPage {
  readonly heading: Locator;
  readonly versions: Locator;
  /** The selected version: its heading, actions, legend and the document with its changes. */
  readonly selected: Locator;
  /** The document as it was, inserted and deleted text marked. */
  readonly changes: Locator;
  readonly legend: Locator;
  readonly backToDocument: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: /^History of/ });
    this.versions = page.getByRole('list', { name: 'Versions' });
    this.selected = page.getByRole('region', { name: 'Selected version' });
    this.changes = this.selected.getByLabel(/the document with its changes$/);
    this.legend = this.selected.getByRole('list', { name: 'Who changed what' });
    this.backToDocument = page.getByRole('link', { name: 'Back to document' });
  }

  async goto(documentId: string): Promise<void> {
    await this.page.goto(`/d/${encodeURIComponent(documentId)}/history`);
    await expect(this.heading).toBeVisible();
  }

  /** A version's link in the timeline, by its text ("Bob Removed 6 words · just now"). */
  version(name: RegExp): Locator {
    return this.versions.getByRole('link', { name });
  }

  /** The timeline's selected version. */
  get current(): Locator {
    return this.versions.locator('[aria-current="true"]');
  }

  /** Text the selected version removed, shown struck through in place. */
  deletion(text: string): Locator {
    return this.changes.getByRole('deletion').filter({ hasText: text });
  }

  insertion(text: string): Locator {
    return this.changes.getByRole('insertion').filter({ hasText: text });
  }

  /** "Restore this version", confirmed. */
  async restoreSelected(): Promise<void> {
    await this.selected.getByRole('button', { name: 'Restore this version' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Restore this version?' });
    await dialog.getByRole('button', { name: 'Restore' }).click();
    await expect(dialog).toBeHidden();
  }

  /** Names the current version through the small form. */
  async nameVersion(label: string): Promise<void> {
    await this.selected.getByRole('button', { name: 'Name this version' }).click();
    await this.selected.getByRole('textbox', { name: 'Version name' }).fill(label);
    await this.selected.getByRole('button', { name: 'Save name' }).click();
  }
}
