/**
 * The `quire_session` cookie: HttpOnly (scripts never see the token), SameSite=Lax (other sites
 * cannot send it with their forms), and Secure when people reach Quire over HTTPS. A proxy's
 * X-Forwarded-Proto is not trusted: HTTPS is known from the request itself or from PUBLIC_URL.
 */
import { SESSION_COOKIE } from '../../http/auth.ts';

/** Whether the cookie must be `Secure`: the request came over HTTPS, or PUBLIC_URL is https. */
export function requestIsSecure(request: Request, publicUrl: string | null): boolean {
  return new URL(request.url).protocol === 'https:' || (publicUrl !== null && new URL(publicUrl).protocol === 'https:');
}

/** The `Set-Cookie` value that carries a session's token until it expires. */
export function sessionCookie(session: { token: string; expiresAt: number }, secure: boolean): string {
  const maxAge = Math.max(0, Math.floor((session.expiresAt - Date.now()) / 1000));
  return `${SESSION_COOKIE}=${session.token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;
}

/** The `Set-Cookie` value that removes the cookie (sign-out). */
export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie({ token: '', expiresAt: 0 }, secure);
}
