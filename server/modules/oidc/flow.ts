/**
 * The state of one sign-in in flight, kept by the browser itself between `/start` and
 * `/callback` in a short-lived cookie. The cookie is sealed (AES-256-GCM, key derived from the
 * session secret), so the browser can neither read the PKCE verifier nor change the expected
 * state, nonce or return path; and any instance of a cluster can finish what another started.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** The flow cookie's name; it is sent only to the OIDC routes. */
export const FLOW_COOKIE = 'quire_oidc_flow';

/** How long a person may take at the provider before the callback is refused, seconds. */
export const FLOW_TTL_SECONDS = 600;

/** What the callback must check, and where to go afterwards. */
export interface Flow {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** The redirect URI sent with the authorization request; the token request must repeat it. */
  redirectUri: string;
  /** Relative path to return to after signing in. */
  next: string;
  /** An invite code to create the account with, when the person came from an invite. */
  invite?: string;
  /** Epoch ms after which the flow is void. */
  expiresAt: number;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A key of its own for flows, so a flow cookie can never be mistaken for a session token. */
export function flowKey(sessionSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', sessionSecret, 'quire', 'oidc-flow-cookie v1', 32));
}

/** Seals a flow into a cookie value. */
export function sealFlow(key: Buffer, flow: Flow): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update(JSON.stringify(flow), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
}

/** The flow a cookie value holds: 'invalid' when forged or damaged, 'expired' when too old. */
export function openFlow(key: Buffer, value: string, now: number): Flow | 'invalid' | 'expired' {
  const bytes = Buffer.from(value, 'base64url');
  if (bytes.length <= IV_BYTES + TAG_BYTES) return 'invalid';
  let flow: Flow;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    const plain = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
    flow = JSON.parse(plain.toString('utf8')) as Flow;
  } catch {
    return 'invalid';
  }
  return flow.expiresAt > now ? flow : 'expired';
}

/**
 * `next` if it is a path on this site (`/d/abc?x#y`), else `/`. Anything that a browser could
 * resolve to another origin (`//evil`, `/\evil`, `https:…`, control characters) falls back.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || next.length > 2048 || !next.startsWith('/') || /[\\\u0000-\u001f\u007f]/.test(next)) return '/';
  const base = 'http://quire.invalid';
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return '/';
  }
  return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : '/';
}
