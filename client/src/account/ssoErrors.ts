/**
 * Why single sign-on failed, in words, for the `?error=<code>` the server's callback sends to
 * `/signin` (the codes are the server's `OIDC_ERROR_CODES`).
 */
const MESSAGES: Record<string, string> = {
  flow_invalid: 'Single sign-on could not be finished in this browser. Allow cookies for this site and try again.',
  flow_expired: 'Single sign-on took too long. Try again.',
  state_mismatch: 'Single sign-on was refused: the answer did not belong to this sign-in. Try again.',
  nonce_mismatch: 'Single sign-on was refused: the answer did not belong to this sign-in. Try again.',
  provider_error: 'Single sign-on was cancelled or refused by your identity provider.',
  token_rejected: 'Your identity provider’s answer could not be verified. Try again, or ask your administrator.',
  email_missing: 'Your identity provider did not share an email address, so Quire cannot tell who you are.',
  email_unverified: 'Your identity provider has not verified your email address.',
  registration_closed: 'There is no Quire account for your email address. Ask an administrator for an invitation.',
  provider_unavailable: 'Your identity provider cannot be reached right now. Try again in a moment.',
  account_disabled: 'Your Quire account is disabled. Ask an administrator to enable it again.',
};

/** The sentence for a refused single sign-on; unknown codes still say that it failed. */
export function ssoErrorMessage(code: string): string {
  // Own keys only: `?error=constructor` must not reach Object.prototype.
  return Object.hasOwn(MESSAGES, code) ? MESSAGES[code]! : 'Single sign-on failed. Try again, or sign in with your password.';
}

/**
 * Where the SSO button goes: the server starts the flow and comes back to `next`; with an
 * invite code, a new person's account is created under that invitation.
 */
export function ssoStartUrl(next: string, invite?: string): string {
  const query = new URLSearchParams({ next });
  if (invite) query.set('invite', invite);
  return `/api/auth/oidc/start?${query}`;
}
