/**
 * GET requests the boot script sends before the app's code has arrived (the session, the
 * document a page opens), so their round trips overlap the download of the code instead of
 * following it. The API client's first request for the same URL takes the response instead of
 * sending its own; each is handed out once, and only while the page is opening.
 */
import { SHARE_HEADER } from '../../../shared/dto.ts';

/** A request that has had no answer for this long is treated like an unreachable server. */
export const REQUEST_TIMEOUT_MS = 8_000;

/** A response asked for at boot is the page's opening answer; later requests ask afresh. */
const FRESH_FOR_MS = 10_000;

const early = new Map<string, { response: Promise<Response>; at: number }>();

/** Sends a GET for `path` (same origin, with the session cookie) now, for the API client to take later. */
export function requestEarly(path: string): void {
  const response = fetch(path, { credentials: 'same-origin', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  // Never taken (the page went elsewhere): not an unhandled rejection.
  response.catch(() => {});
  early.set(path, { response, at: performance.now() });
}

function pathOf(input: RequestInfo | URL): string | null {
  const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url, window.location.href);
  return url.origin === window.location.origin ? url.pathname + url.search : null;
}

/**
 * The response of an early request for the same URL, if this is a plain GET and one is waiting;
 * null otherwise (send the request as usual).
 */
export function takeEarly(input: RequestInfo | URL, init?: RequestInit): Promise<Response> | null {
  if (early.size === 0 || (init?.method ?? 'GET').toUpperCase() !== 'GET' || input instanceof Request) return null;
  // A secret link's request is answered for its token; the early one carried none.
  if (new Headers(init?.headers).has(SHARE_HEADER)) return null;
  const path = pathOf(input);
  const waiting = path === null ? undefined : early.get(path);
  if (path === null || waiting === undefined) return null;
  early.delete(path);
  return performance.now() - waiting.at <= FRESH_FOR_MS ? waiting.response : null;
}
