/**
 * Session tokens: `<sessionId>.<expiry>.<signature>`, signed with HMAC-SHA256. The signature
 * lets a server reject a forged token without a storage round trip; the session row lets a
 * sign-out revoke it.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir, tightenIfPresent } from '../../storage/private-files.ts';

/** What a valid token says. */
export interface TokenClaims {
  sessionId: string;
  expiresAt: number;
}

function signature(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

/** Signs a session id and expiry (epoch ms). */
export function signToken(secret: string, claims: TokenClaims): string {
  const payload = `${claims.sessionId}.${claims.expiresAt.toString(36)}`;
  return `${payload}.${signature(secret, payload)}`;
}

/** The claims of a well-signed, unexpired token; null otherwise. */
export function verifyToken(secret: string, token: string, now: number): TokenClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [sessionId, expiry, given] = parts as [string, string, string];
  const expected = Buffer.from(signature(secret, `${sessionId}.${expiry}`));
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return null;
  const expiresAt = Number.parseInt(expiry, 36);
  if (!Number.isFinite(expiresAt) || expiresAt <= now) return null;
  return { sessionId, expiresAt };
}

/**
 * The configured secret, or one generated on first start and kept in the data directory so
 * that sessions survive a restart.
 */
export function resolveSessionSecret(configured: string | null, dataDir: string): string {
  if (configured) return configured;
  const file = join(dataDir, 'session-secret');
  ensurePrivateDir(dataDir);
  if (existsSync(file)) {
    tightenIfPresent(file);
    return readFileSync(file, 'utf8').trim();
  }
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
  return secret;
}
