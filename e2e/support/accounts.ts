/**
 * Test accounts: each person a test opens gets an account of their own, with a unique email and
 * one known password, made through the API in their browser context (which then holds the
 * session cookie).
 */
import { expect, type APIRequestContext } from '@playwright/test';

/** The password of every test account (at least 10 characters, as the server asks). */
export const TEST_PASSWORD = 'correct horse battery staple';

/** Who a test user is: the name others see, the email and password they sign in with. */
export interface TestAccount {
  name: string;
  email: string;
  password: string;
}

let created = 0;

/** A new account's details: `Ada` becomes `ada-7@example.test`, unique within this run. */
export function newTestAccount(name: string): TestAccount {
  created += 1;
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'user';
  return { name, email: `${slug}-${created}@example.test`, password: TEST_PASSWORD };
}

/** Creates the account (signing `request`'s context in); `invite` when registration needs one. */
export async function createAccount(request: APIRequestContext, account: TestAccount, invite?: string): Promise<void> {
  const response = await request.post('/api/accounts', { data: { ...account, ...(invite ? { invite } : {}) } });
  expect(response.status(), `creating the account of ${account.name}: ${await response.text()}`).toBe(201);
}

/** Signs an existing account in through the API. */
export async function signInAccount(request: APIRequestContext, account: TestAccount): Promise<void> {
  const response = await request.post('/api/session', { data: { email: account.email, password: account.password } });
  expect(response.status(), `signing in ${account.email}: ${await response.text()}`).toBe(201);
}

/** Signs `request`'s context out (its cookie goes). */
export async function signOutAccount(request: APIRequestContext): Promise<void> {
  const response = await request.delete('/api/session');
  expect(response.status(), 'signing out').toBe(204);
}
