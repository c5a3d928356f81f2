/**
 * Security headers on every response: the app may not be framed (clickjacking a rename or a
 * delete), scripts come only from this origin, content types are not sniffed, and no URL (which
 * may one day hold a share link) leaks to other sites in a Referer.
 */
import { Elysia } from 'elysia';

const APP_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // Tiptap and the collaboration carets set style attributes.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  // 'self' covers same-origin ws: and wss: (CSP 3).
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Swagger UI starts itself from an inline script; that page holds no user content. */
const API_REFERENCE_POLICY = APP_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'");

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
};

/** The Content-Security-Policy for a path. */
export function contentSecurityPolicy(path: string): string {
  return path === '/openapi' ? API_REFERENCE_POLICY : APP_POLICY;
}

/** Every security header for a response to `path`. */
export function securityHeadersFor(path: string): Record<string, string> {
  return { ...SECURITY_HEADERS, 'content-security-policy': contentSecurityPolicy(path) };
}

/** Adds the headers to every response a route produces (problem responses carry their own). */
export function securityHeaders() {
  return new Elysia({ name: 'security-headers' }).mapResponse({ as: 'global' }, ({ request, response, set }) => {
    const headers = securityHeadersFor(new URL(request.url).pathname);
    if (response instanceof Response) {
      for (const [name, value] of Object.entries(headers)) if (!response.headers.has(name)) response.headers.set(name, value);
      return response;
    }
    Object.assign(set.headers, headers);
  });
}
