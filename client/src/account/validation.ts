/**
 * Checks made before an account form is sent, so the commonest mistakes are named beside their
 * field at once. The server checks everything again and its problem `fields` have the last word.
 */

/** Shortest password the server accepts. */
export const MIN_PASSWORD_LENGTH = 10;
/** Longest display name the server accepts. */
export const MAX_NAME_LENGTH = 64;

export type AccountField = 'name' | 'email' | 'password';

/** What is wrong with a display name, or null. */
export function nameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed === '') return 'Enter your name.';
  if (trimmed.length > MAX_NAME_LENGTH) return `Use at most ${MAX_NAME_LENGTH} characters.`;
  return null;
}

/** What is wrong with an email address, or null (a light check: the server decides). */
export function emailProblem(email: string): string | null {
  const trimmed = email.trim();
  if (trimmed === '') return 'Enter your email address.';
  if (!/^[^\s@]+@[^\s@]+$/.test(trimmed)) return 'Enter an email address like name@example.com.';
  return null;
}

/** What is wrong with a new password, or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  return null;
}

/** Problems of a new account's fields; empty when it may be sent. */
export function accountProblems(account: { name: string; email: string; password: string }): Partial<Record<AccountField, string>> {
  const problems: Partial<Record<AccountField, string>> = {};
  const name = nameProblem(account.name);
  const email = emailProblem(account.email);
  const password = passwordProblem(account.password);
  if (name) problems.name = name;
  if (email) problems.email = email;
  if (password) problems.password = password;
  return problems;
}
