/**
 * Scenario 3, connection capacity: open many idle connections across many documents and
 * measure the time until all of them are synced, and the server's memory per connection.
 */
import { sleep } from '../lib/deadline.ts';
import { mergeSamples, round, summarize } from '../lib/stats.ts';
import { provisionDocuments } from '../servers/launcher.ts';
import type { TargetName } from '../servers/targets.ts';
import { addressOf, forEachServer, mib, split, withServer } from './server-session.ts';
import type { ResultRow, Scenario, ScenarioContext } from './types.ts';

async function measureCapacity(context: ScenarioContext, name: TargetName): Promise<ResultRow[]> {
  const { connections, documents, concurrencyPerWorker } = context.plan.capacity;
  return withServer(context, name, async (server) => {
    const documentIds = await provisionDocuments(server, documents, 'capacity');
    const perDocument = split(connections, documents);
    await sleep(1_000);
    const before = server.sample();
    const workers = context.pool.workers.length;
    const started = performance.now();
    const opened = await context.pool.all(
      'open',
      (worker) => ({
        servers: [addressOf(server)],
        groups: documentIds
          .map((documentId, index) => ({ documentId, clients: perDocument[index] ?? 0, writers: 0 }))
          .filter((_, index) => index % workers === worker.index),
        concurrency: concurrencyPerWorker,
        timeoutMs: 30_000,
      }),
      300_000,
    );
    const allSyncedMs = performance.now() - started;
    await sleep(1_500);
    const after = server.sample();
    const failed = opened.reduce((sum, result) => sum + result.failed, 0);
    const sync = summarize(mergeSamples(opened.map((result) => result.syncMs)));
    const synced = connections - failed;
    return [
      {
        server: name,
        case: `${connections} connections`,
        metrics: {
          connections,
          documents,
          synced,
          failed,
          allSyncedMs: round(allSyncedMs, 0),
          syncMedianMs: sync.median,
          syncP99Ms: sync.p99,
          rssPerConnectionKiB: synced > 0 ? round((after.rssBytes - before.rssBytes) / synced / 1024, 1) : null,
          serverRssMiB: mib(after.rssBytes),
          serverCpuMs: round(after.cpuMs - before.cpuMs, 0),
        },
        ...(failed > 0 ? { error: opened.find((result) => result.firstError)?.firstError ?? 'connections failed' } : {}),
      },
    ];
  });
}

/** Runs the capacity scenario on every server. */
export const capacityScenario: Scenario = async (context) => {
  const { connections, documents, concurrencyPerWorker } = context.plan.capacity;
  return {
    id: 'capacity',
    title: `3. Connection capacity (${connections} idle connections over ${documents} documents)`,
    rows: await forEachServer(context, context.servers, (name) => measureCapacity(context, name)),
    compareMetrics: ['allSyncedMs', 'syncP99Ms', 'rssPerConnectionKiB'],
    notes: [
      `Up to ${concurrencyPerWorker * context.pool.workers.length} handshakes in flight; sync = socket creation to the server's sync step 2 (the relay answers nothing, so there it is the open).`,
    ],
  };
};
