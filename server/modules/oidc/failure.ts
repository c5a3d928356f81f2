/**
 * Why a sign-in through a provider was refused. Apart from the service, so the routes can tell
 * a refusal from a fault without loading openid-client on instances that have no provider.
 */
/** Why a callback was refused; sent to the sign-in page as `/signin?error=<code>`. */
export const OIDC_ERROR_CODES = [
  /** No flow cookie, or a forged one: cookies blocked, or the callback opened in another browser. */
  'flow_invalid',
  /** The person took longer than ten minutes at the provider. */
  'flow_expired',
  /** The callback's `state` is not the one this browser started with (a forged callback). */
  'state_mismatch',
  /** The ID token was issued for another sign-in (a replayed or injected code). */
  'nonce_mismatch',
  /** The provider answered with an error (the person cancelled, say). */
  'provider_error',
  /** The provider refused the code or sent tokens that fail validation (PKCE, signature, audience...). */
  'token_rejected',
  /** The provider sent no usable email address. */
  'email_missing',
  /** The provider does not vouch for the email address. */
  'email_unverified',
  /** No account has this email, and registration does not admit one (closed, or no valid invite). */
  'registration_closed',
  /** The account with this email is disabled. */
  'account_disabled',
  /** The provider could not be reached. */
  'provider_unavailable',
] as const;
export type OidcErrorCode = (typeof OIDC_ERROR_CODES)[number];

/** A refused callback, with the code the sign-in page shows. */
export class OidcFailure extends Error {
  constructor(
    readonly code: OidcErrorCode,
    detail: string,
  ) {
    super(detail);
    this.name = 'OidcFailure';
  }
}
