/** Page object of `/settings`: profile (name, colour) and password. */
import { expect, type Locator, type Page } from '@playwright/test';

export class SettingsPage {
  readonly heading: Locator;
  readonly name: Locator;
  readonly saveProfile: Locator;
  readonly currentPassword: Locator;
  readonly newPassword: Locator;
  readonly changePassword: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Settings', level: 1 });
    const profile = page.getByRole('form', { name: 'Profile' });
    this.name = profile.getByLabel('Name', { exact: true });
    this.saveProfile = profile.getByRole('button', { name: 'Save profile' });
    const password = page.getByRole('form', { name: 'Password' });
    this.currentPassword = password.getByLabel('Current password');
    this.newPassword = password.getByLabel('New password');
    this.changePassword = password.getByRole('button', { name: 'Change password' });
  }

  /** Opens settings from the account menu. */
  async open(): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Settings' }).click();
    await expect(this.heading).toBeVisible();
  }

  /** Changes the display name and waits until the header shows it. */
  async rename(name: string): Promise<void> {
    await this.name.fill(name);
    await this.saveProfile.click();
    await expect(this.page.getByRole('status').filter({ hasText: 'Profile saved.' })).toBeVisible();
    await expect(this.page.getByTestId('account-name')).toHaveText(name);
  }
}
