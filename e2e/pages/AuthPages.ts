/** Page objects of the signed-out screens: sign-in, creating an account (first run, sign-up, invite). */
import { expect, type Locator, type Page } from '@playwright/test';

/** The sign-in screen, shown on any route while signed out. */
export class SignInScreen {
  readonly heading: Locator;
  readonly email: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  /** A failure of the whole form (wrong password, throttled), said above its button. */
  readonly formError: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Sign in to Quire', level: 1 });
    const form = page.getByRole('form', { name: 'Sign in' });
    this.email = form.getByLabel('Email');
    this.password = form.getByLabel('Password');
    this.submit = form.getByRole('button', { name: 'Sign in', exact: true });
    this.formError = form.getByRole('alert');
  }

  async signIn(email: string, password: string): Promise<void> {
    await expect(this.heading).toBeVisible();
    await this.email.fill(email);
    await this.password.fill(password);
    await this.submit.click();
  }
}

/** A form that creates an account: the first (admin) one, sign-up, or accepting an invite. */
export class AccountFormScreen {
  readonly name: Locator;
  readonly email: Locator;
  readonly password: Locator;

  constructor(readonly page: Page) {
    this.name = page.getByLabel('Name', { exact: true });
    this.email = page.getByLabel('Email', { exact: true });
    this.password = page.getByLabel('Password', { exact: true });
  }

  /** Fills the form (the email only when it is not fixed by an invite) and submits with `button`. */
  async submit(account: { name: string; email?: string; password: string }, button: string): Promise<void> {
    await this.name.fill(account.name);
    if (account.email !== undefined) await this.email.fill(account.email);
    await this.password.fill(account.password);
    await this.page.getByRole('button', { name: button }).click();
  }

  /** The message beside a field, read as its accessible description. */
  async expectFieldError(field: Locator, message: string | RegExp): Promise<void> {
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(field).toHaveAccessibleDescription(message);
  }
}
