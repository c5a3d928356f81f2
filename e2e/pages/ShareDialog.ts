/** Page object of the share dialog, opened with "Share" in the editor. */
import { expect, type Locator, type Page } from '@playwright/test';

export class ShareDialog {
  readonly dialog: Locator;
  readonly addPeople: Locator;
  readonly people: Locator;
  readonly generalAccess: Locator;
  readonly generalRole: Locator;
  /** The address "Copy link" copies: the secret link while general access is by link. */
  readonly link: Locator;
  readonly save: Locator;

  constructor(readonly page: Page) {
    this.dialog = page.getByRole('dialog', { name: /^Share / });
    this.addPeople = this.dialog.getByRole('combobox', { name: 'Add people' });
    this.people = this.dialog.getByRole('list', { name: 'People with access' });
    this.generalAccess = this.dialog.getByLabel('General access', { exact: true });
    this.generalRole = this.dialog.getByLabel('General access role');
    this.link = this.dialog.getByRole('textbox', { name: 'Link' });
    this.save = this.dialog.getByRole('button', { name: 'Save' });
  }

  /** Opens the dialog from the editor and waits until it shows who has access. */
  async open(): Promise<void> {
    await this.page.getByRole('button', { name: 'Share' }).click();
    await expect(this.dialog).toBeVisible();
    await expect(this.people).toBeVisible();
  }

  /** Finds someone by what is typed (an email), and adds them with the keyboard. */
  async addPerson(search: string, name: string): Promise<void> {
    await this.addPeople.fill(search);
    const option = this.dialog.getByRole('option', { name: new RegExp(`^${name}\\b`) });
    await expect(option).toBeVisible();
    await expect(option).toHaveAttribute('aria-selected', 'true');
    await this.addPeople.press('Enter');
    await expect(this.person(name)).toBeVisible();
  }

  person(name: string): Locator {
    return this.people.getByRole('listitem', { name, exact: true });
  }

  roleOf(name: string): Locator {
    return this.dialog.getByRole('combobox', { name: `Role of ${name}` });
  }

  async setRole(name: string, role: 'Viewer' | 'Editor' | 'Owner'): Promise<void> {
    await this.roleOf(name).selectOption({ label: role });
  }

  async remove(name: string): Promise<void> {
    await this.dialog.getByRole('button', { name: `Remove ${name}` }).click();
    await expect(this.person(name)).toHaveCount(0);
  }

  /** Saves and waits until the server answered. */
  async saveChanges(): Promise<void> {
    await this.save.click();
    await expect(this.dialog.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  }

  async close(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Close' }).click();
    await expect(this.dialog).toBeHidden();
  }

  /** Replaces the secret link, through its confirmation. */
  async resetLink(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Reset link' }).click();
    const confirm = this.page.getByRole('dialog', { name: 'Reset the link?' });
    await confirm.getByRole('button', { name: 'Reset link' }).click();
    await expect(confirm).toBeHidden();
  }
}
