/** Page object of `/admin`: invite links and the people of the server. */
import { expect, type Locator, type Page } from '@playwright/test';

export class AdminPage {
  readonly heading: Locator;
  readonly inviteEmail: Locator;
  readonly inviteRole: Locator;
  readonly inviteLink: Locator;
  readonly people: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Admin', level: 1 });
    const invite = page.getByRole('form', { name: 'Invite someone' });
    this.inviteEmail = invite.getByLabel('Email (optional)');
    this.inviteRole = invite.getByLabel('Role');
    this.inviteLink = page.getByRole('textbox', { name: 'Invite link' });
    this.people = page.getByRole('table', { name: 'People' });
  }

  /** Opens the admin page from the account menu. */
  async open(): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Admin' }).click();
    await expect(this.heading).toBeVisible();
  }

  /** Creates an invite link (for `email` only, when given) and returns it as the page shows it. */
  async invite(role: 'Member' | 'Administrator', email?: string): Promise<string> {
    await this.inviteEmail.fill(email ?? '');
    await this.inviteRole.selectOption({ label: role });
    await this.page.getByRole('button', { name: 'Create invite link' }).click();
    await expect(this.inviteLink).toHaveValue(/\/join\/[\w-]+$/);
    return this.inviteLink.inputValue();
  }

  /** The row of the person with this email. */
  person(email: string): Locator {
    return this.people.getByRole('row').filter({ hasText: email });
  }

  /** The confirmation dialog of a change to someone's account. */
  dialog(title: string): Locator {
    return this.page.getByRole('dialog', { name: title });
  }
}
