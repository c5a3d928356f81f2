/**
 * Single sign-on with OpenID Connect: the authorization code flow with PKCE, through
 * `openid-client`. The library checks state, nonce, PKCE, the `iss` response parameter and the
 * ID token; this service adds what Quire needs on top: a verified email, then an account.
 *
 * Never sees a request: the routes hand it the redirect URI, the callback's query and the
 * sealed flow cookie, and get back a location, a cookie value or a session.
 */
import * as client from 'openid-client';
import { HttpError } from '../../http/problem.ts';
import type { Logger } from '../../logger.ts';
import { OidcFailure, type OidcErrorCode } from './failure.ts';
import { FLOW_TTL_SECONDS, flowKey, openFlow, safeNext, sealFlow } from './flow.ts';

/** Where the provider is and who Quire is to it (`OIDC_ISSUER`, `OIDC_CLIENT_ID`, `OIDC_CLIENT_SECRET`). */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/** A person the provider vouches for: the email is verified by the provider. */
export interface VerifiedIdentity {
  email: string;
  name: string;
  /** The invite code the person started from, which may admit a new account. */
  invite?: string;
}

/** A signed-in session, as the session cookie needs it. */
export interface SignedIn {
  token: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** What SSO needs from accounts: find by email (case-insensitively), or create when registration allows. */
export interface OidcAccounts {
  signInWithVerifiedEmail(identity: VerifiedIdentity): Promise<SignedIn | 'registration-closed' | 'account-disabled'>;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

/** What is wrong with an issuer URL, or null: HTTPS only, except on loopback (for tests). */
export function issuerProblem(issuer: string): string | null {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return 'not a valid URL';
  }
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && LOOPBACK.test(url.hostname)) return null;
  return 'expected an https URL (http only on localhost)';
}

/** Network failures and time-outs: the provider is away, not wrong. */
function isUnreachable(error: unknown): boolean {
  if (error instanceof client.ClientError) return error.code === 'OAUTH_TIMEOUT' || error.code === 'OAUTH_ABORT';
  return error instanceof TypeError && !String((error as { code?: unknown }).code ?? '').startsWith('ERR_INVALID');
}

/** True when `error` or one of its causes says that the ID token's nonce was wrong. */
function isNonceMismatch(error: unknown): boolean {
  for (let cause = error, depth = 0; cause && depth < 5; depth++) {
    if ((cause as { claim?: unknown }).claim === 'nonce') return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

/** A display name from the usual claims, on one line and at most 64 characters. */
function displayName(claims: Record<string, unknown>, email: string): string {
  const given = [claims.given_name, claims.family_name].filter((part) => typeof part === 'string').join(' ');
  for (const candidate of [claims.name, given, claims.preferred_username, email.split('@')[0]]) {
    if (typeof candidate !== 'string') continue;
    const name = candidate.replace(/[\u0000-\u001f\u007f]/g, ' ').trim().slice(0, 64).trim();
    if (name) return name;
  }
  return email.slice(0, 64);
}

/** Runs sign-ins against one provider, discovered on first use. */
export class OidcService {
  private discovered: Promise<client.Configuration> | null = null;
  private readonly key: Buffer;

  constructor(
    private readonly settings: OidcSettings,
    private readonly accounts: OidcAccounts,
    sessionSecret: string,
    private readonly logger: Logger,
    /** Seconds to wait for the provider on each request. */
    private readonly timeoutSeconds = 10,
  ) {
    const problem = issuerProblem(settings.issuer);
    if (problem) throw new Error(`OIDC_ISSUER: ${problem}`);
    this.key = flowKey(sessionSecret);
  }

  /**
   * The provider's configuration, discovered once and shared; a failed discovery is forgotten so
   * that the next sign-in tries again (a provider that was down at start-up costs nothing).
   */
  private configuration(): Promise<client.Configuration> {
    this.discovered ??= this.discover().catch((error: unknown) => {
      this.discovered = null;
      throw error;
    });
    return this.discovered;
  }

  private async discover(): Promise<client.Configuration> {
    const { issuer, clientId, clientSecret } = this.settings;
    // RFC 8414: a provider that lists no methods supports client_secret_basic.
    const authenticate: client.ClientAuth = (as, metadata, body, headers) => {
      const basic = as.token_endpoint_auth_methods_supported?.includes('client_secret_basic') ?? true;
      (basic ? client.ClientSecretBasic(clientSecret) : client.ClientSecretPost(clientSecret))(as, metadata, body, headers);
    };
    try {
      return await client.discovery(new URL(issuer), clientId, undefined, authenticate, {
        timeout: this.timeoutSeconds,
        execute: new URL(issuer).protocol === 'http:' ? [client.allowInsecureRequests] : [],
      });
    } catch (error) {
      this.logger.warn('OpenID provider discovery failed', { issuer, error, cause: (error as { cause?: unknown }).cause });
      throw isUnreachable(error)
        ? new HttpError(503, 'Service Unavailable', 'The single sign-on provider cannot be reached; try again shortly.')
        : new HttpError(502, 'Bad Gateway', 'The single sign-on provider sent a configuration Quire cannot use.');
    }
  }

  /**
   * Starts a sign-in: where to send the browser, and the sealed flow for its cookie. `next` is
   * where to return afterwards; `invite`, an invite code to create the account with.
   */
  async begin(redirectUri: string, next?: string, invite?: string): Promise<{ location: string; flowCookie: string }> {
    const config = await this.configuration();
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const location = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    const flowCookie = sealFlow(this.key, {
      state,
      nonce,
      codeVerifier,
      redirectUri,
      next: safeNext(next),
      ...(invite ? { invite } : {}),
      expiresAt: Date.now() + FLOW_TTL_SECONDS * 1000,
    });
    return { location: location.href, flowCookie };
  }

  /** Finishes a sign-in from the callback's query and the flow cookie; throws `OidcFailure`. */
  async complete(query: URLSearchParams, flowCookie: string | null): Promise<{ session: SignedIn; next: string }> {
    const flow = flowCookie ? openFlow(this.key, flowCookie, Date.now()) : 'invalid';
    if (flow === 'invalid') throw new OidcFailure('flow_invalid', 'no valid sign-in in progress in this browser');
    if (flow === 'expired') throw new OidcFailure('flow_expired', 'the sign-in took too long');
    // openid-client checks this too; checking first gives the refusal its own code.
    if (query.get('state') !== flow.state) throw new OidcFailure('state_mismatch', 'the callback belongs to another sign-in');
    const config = await this.configuration().catch(() => {
      throw new OidcFailure('provider_unavailable', 'the provider cannot be reached');
    });
    const callbackUrl = new URL(flow.redirectUri);
    callbackUrl.search = query.toString();
    const claims = await this.exchange(config, callbackUrl, flow);
    const email = typeof claims.email === 'string' ? claims.email.trim() : '';
    if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254) throw new OidcFailure('email_missing', 'the provider sent no email address');
    if (claims.email_verified !== true) throw new OidcFailure('email_unverified', `the provider has not verified ${email}`);
    const session = await this.accounts.signInWithVerifiedEmail({ email, name: displayName(claims, email), ...(flow.invite ? { invite: flow.invite } : {}) });
    if (session === 'registration-closed') throw new OidcFailure('registration_closed', `no account for ${email}, and registration does not admit one`);
    if (session === 'account-disabled') throw new OidcFailure('account_disabled', `the account of ${email} is disabled`);
    return { session, next: flow.next };
  }

  /** Trades the code for tokens and returns the person's claims (ID token, then userinfo). */
  private async exchange(
    config: client.Configuration,
    callbackUrl: URL,
    flow: { state: string; nonce: string; codeVerifier: string },
  ): Promise<Record<string, unknown>> {
    try {
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: flow.codeVerifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
      });
      const idToken = tokens.claims();
      if (!idToken) throw new OidcFailure('token_rejected', 'the provider sent no ID token');
      // Many providers put email only in userinfo when an access token is issued (OIDC Core 5.4).
      if (typeof idToken.email === 'string' && typeof idToken.email_verified === 'boolean') return idToken;
      const userinfo = await client.fetchUserInfo(config, tokens.access_token, idToken.sub);
      return { ...idToken, ...userinfo };
    } catch (error) {
      throw this.refusal(error);
    }
  }

  /** Turns whatever the exchange threw into a coded refusal, logged with its cause. */
  private refusal(error: unknown): OidcFailure {
    if (error instanceof OidcFailure) return error;
    const [code, detail]: [OidcErrorCode, string] =
      error instanceof client.AuthorizationResponseError
        ? ['provider_error', `the provider answered ${error.error}${error.error_description ? `: ${error.error_description}` : ''}`]
        : isNonceMismatch(error)
          ? ['nonce_mismatch', 'the ID token was issued for another sign-in']
          : isUnreachable(error)
            ? ['provider_unavailable', 'the provider cannot be reached']
            : error instanceof client.ResponseBodyError || error instanceof client.ClientError
              ? ['token_rejected', 'the provider refused the code or sent an invalid token']
              : ['provider_error', 'the sign-in failed unexpectedly'];
    const level = code === 'provider_error' && !(error instanceof client.AuthorizationResponseError) ? 'error' : 'warn';
    this.logger[level]('single sign-on refused', { code, error, cause: (error as { cause?: unknown }).cause });
    return new OidcFailure(code, detail);
  }
}
