/** Where signing in returns to: `?next=` on the sign-in page, when it names a page of this app. */

/** The query parameter of `/signin` naming the page to return to. */
export const NEXT_PARAM = 'next';

/** `next` when it is a path on this origin (never `//elsewhere` or a full URL), else `/`. */
export function safeReturnPath(next: string | null): string {
  if (next === null || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}

/** The sign-in page that comes back to `path` afterwards. */
export function signInPathTo(path: string): string {
  return `/signin?${new URLSearchParams({ [NEXT_PARAM]: path })}`;
}
