/**
 * Scenario 6, REST and SSE (Quire only: the peers have no REST API): list throughput with many
 * documents stored, and activity-stream delivery latency to many subscribers.
 */
import { mergeSamples, round, summarize } from '../lib/stats.ts';
import { provisionDocuments } from '../servers/launcher.ts';
import { targetByName } from '../servers/targets.ts';
import { forEachServer, withServer } from './server-session.ts';
import type { ResultRow, Scenario, ScenarioContext } from './types.ts';

async function measureRestSse(context: ScenarioContext): Promise<ResultRow[]> {
  const { documents, concurrency, durationMs, subscribers, probes } = context.plan.restSse;
  return withServer(context, 'quire', async (server) => {
    const createStarted = performance.now();
    await provisionDocuments(server, documents, 'rest');
    const createMs = performance.now() - createStarted;
    const workers = context.pool.workers.length;
    const loads = await context.pool.all(
      'httpLoad',
      () => ({ urls: [`${server.httpUrl}/api/documents?limit=20`], token: server.token, concurrency: Math.ceil(concurrency / workers), durationMs }),
      durationMs + 30_000,
    );
    const list = summarize(mergeSamples(loads.map((load) => load.latency)));
    const listRequests = loads.reduce((sum, load) => sum + load.requests, 0);
    const listFailures = loads.reduce((sum, load) => sum + load.failures, 0);
    const elapsed = Math.max(...loads.map((load) => load.elapsedMs));
    // Subscribers and the creator share one process so send and arrival use the same clock.
    const worker = context.pool.workers[0];
    if (!worker) throw new Error('no load worker');
    const subscribed = await worker.request('sseSubscribe', { httpUrl: server.httpUrl, token: server.token, subscribers, timeoutMs: 60_000 }, 70_000);
    const sse = await worker.request('sseMeasure', { httpUrl: server.httpUrl, token: server.token, documents: probes, intervalMs: 100, settleMs: 2_000 }, 120_000);
    const delivery = summarize(sse.latency);
    context.log(`    list p99 ${list.p99} ms, ${Math.round(listRequests / (elapsed / 1000))} req/s; SSE p99 ${delivery.p99} ms`);
    return [
      {
        server: 'quire',
        case: `${documents} documents, ${subscribers} subscribers`,
        metrics: {
          documentsCreatedPerSecond: round(documents / (createMs / 1000), 0),
          listRequestsPerSecond: round(listRequests / (elapsed / 1000), 0),
          listMedianMs: list.median,
          listP99Ms: list.p99,
          listFailures,
          sseSubscribeMs: round(subscribed.elapsedMs, 0),
          sseMedianMs: delivery.median,
          sseP99Ms: delivery.p99,
          sseMissingDeliveries: sse.missing,
        },
        ...(sse.missing > 0 ? { error: `${sse.missing} SSE deliveries missing` } : {}),
      },
    ];
  });
}

/** Runs the REST and SSE scenario when Quire is among the servers. */
export const restSseScenario: Scenario = async (context) => {
  const { concurrency, subscribers, probes } = context.plan.restSse;
  const servers = context.servers.filter((name) => targetByName(name).hasRestApi);
  return {
    id: 'rest-sse',
    title: '6. REST and SSE (Quire)',
    rows: await forEachServer(context, servers, () => measureRestSse(context)),
    compareMetrics: [],
    notes: [
      `GET /api/documents?limit=20 from ${concurrency} closed-loop lanes; SSE: ${subscribers} subscribers to /api/activity/stream, ${probes} documents created 100 ms apart, latency from POST sent to the document.created event parsed by each subscriber.`,
    ],
  };
};
