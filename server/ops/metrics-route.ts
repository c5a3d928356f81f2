/**
 * `GET /metrics` (Prometheus text format), behind `Authorization: Bearer <METRICS_TOKEN>` when
 * that is set, and the hook that counts every 429 the app answers by the limit that refused it.
 * Used before the routes it watches: Elysia's hooks apply to the routes registered after them.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Elysia } from 'elysia';
import { problemResponse, unauthenticated } from '../http/problem.ts';
import type { Metrics } from './metrics.ts';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Whether a request carries the metrics token (compared in constant time). */
function authorized(header: string | null, token: string): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match !== null && timingSafeEqual(digest(match[1]!), digest(token));
}

/**
 * The limit behind a 429: caps name their variable in the detail ("(MAX_STREAMS_PER_USER)");
 * rate limits are told apart by route.
 */
export function refusalReason(route: string, detail: string | undefined): string {
  const variable = /\(([A-Z][A-Z_]+)\)/.exec(detail ?? '')?.[1];
  if (variable) return variable.toLowerCase();
  if (route.startsWith('/sync/')) return 'connections_per_second';
  if (route.startsWith('/api/session') || route.startsWith('/api/accounts')) return 'sign_in_attempts';
  if (route.endsWith('/content')) return 'renders_per_user';
  return 'other';
}

/** The metrics route and the refusal counter. */
export function metricsRoutes(metrics: Metrics, token: string | null) {
  return new Elysia({ name: 'metrics' })
    .mapResponse({ as: 'global' }, ({ responseValue, route }) => {
      if (!(responseValue instanceof Response) || responseValue.status !== 429) return;
      // Read from a copy, after the answer is on its way; the count never holds the response up.
      void responseValue
        .clone()
        .json()
        .then(
          (problem: { detail?: string }) => metrics.refused(refusalReason(route, problem.detail)),
          () => metrics.refused(refusalReason(route, undefined)),
        );
    })
    .get(
      '/metrics',
      async ({ request }) => {
        if (token !== null && !authorized(request.headers.get('authorization'), token)) {
          return problemResponse(unauthenticated('Send Authorization: Bearer <METRICS_TOKEN>.'), '/metrics');
        }
        const { body, contentType } = await metrics.scrape();
        return new Response(body, { headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
      },
      { detail: { summary: 'Prometheus metrics (quire_*)', hide: true } },
    );
}
