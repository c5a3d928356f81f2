/**
 * Scenario 7, a Quire cluster (Quire only): 1, 2 and 3 instances sharing one PostgreSQL database
 * and one Redis. Fan-out: one document, clients round-robin over the instances, a few writers
 * typing at a human rate; latency split by whether the reader sits on the writer's instance.
 * Throughput: many documents, each open on several instances, one writer each; the update rate
 * delivered to all clients and each instance's CPU and memory.
 */
import type { ResourceUse } from '../lib/proc-stats.ts';
import { round } from '../lib/stats.ts';
import { createClusterStorage } from '../servers/cluster-storage.ts';
import { provisionDocuments, type RunningServer } from '../servers/launcher.ts';
import { openOneDocument, typeOnce } from './fanout.ts';
import { openPerDocument } from './many-docs.ts';
import { forEachServer, withServers } from './server-session.ts';
import type { Metric, ResultRow, Scenario, ScenarioContext } from './types.ts';

type TypingOutcome = Awaited<ReturnType<typeof typeOnce>>;

const instancesLabel = (count: number) => `${count} instance${count === 1 ? '' : 's'}`;
const fanoutCase = (count: number) => `fan-out, ${instancesLabel(count)}`;
const throughputCase = (count: number) => `throughput, ${instancesLabel(count)}`;

/** Per-instance figures as one cell, e.g. "41.2 / 39.8 / 40.5". */
const perInstance = (values: readonly (number | null)[]): string => values.map((value) => value ?? '–').join(' / ');

/** Figures every cluster row reports: correctness first, then each instance's resource use. */
function commonMetrics(outcome: TypingOutcome, windowMs: number): Record<string, Metric> {
  const cpu = outcome.uses.map((use: ResourceUse) => round((use.cpuMs / windowMs) * 100, 1));
  return {
    editsSent: outcome.editsSent,
    editsIncomplete: outcome.editsIncomplete,
    duplicateUpdates: outcome.duplicateUpdates,
    converged: outcome.converged,
    cpuPercentTotal: round(cpu.reduce((sum: number, value) => sum + (value ?? 0), 0), 1),
    cpuPercentPerInstance: perInstance(cpu),
    peakRssMiBPerInstance: perInstance(outcome.uses.map((use: ResourceUse) => use.peakRssMiB)),
  };
}

/** Problems a user would notice, as the row's error. Late edits may still arrive: this says by when they had not. */
function problems(outcome: TypingOutcome, settleMs: number): string | undefined {
  const found = [
    outcome.editsIncomplete > 0 ? `${outcome.editsIncomplete} edits had not reached every peer ${settleMs} ms after typing stopped` : '',
    outcome.duplicateUpdates > 0 ? `${outcome.duplicateUpdates} updates delivered edits a peer already had` : '',
    outcome.converged ? '' : 'writers did not converge',
  ].filter(Boolean);
  return found.length > 0 ? found.join('; ') : undefined;
}

async function measureFanout(context: ScenarioContext, instances: RunningServer[]): Promise<ResultRow> {
  const { clients, writers, editsPerSecondPerWriter, durationMs, settleMs } = context.plan.cluster.fanout;
  await openOneDocument(context, instances, clients, writers);
  const outcome = await typeOnce(context, instances, writers, writers * editsPerSecondPerWriter, durationMs, settleMs);
  await context.pool.closeAll();
  context.log(`    ${fanoutCase(instances.length)}: p99 ${outcome.delivery.p99} ms (same ${outcome.sameInstance.p99}, cross ${outcome.crossInstance.p99})`);
  const error = problems(outcome, settleMs);
  return {
    server: 'quire',
    case: fanoutCase(instances.length),
    metrics: {
      instances: instances.length,
      clients,
      writers,
      deliverySamples: outcome.delivery.count,
      deliveryMedianMs: outcome.delivery.median,
      deliveryP99Ms: outcome.delivery.p99,
      deliveryMaxMs: outcome.delivery.max,
      sameInstanceSamples: outcome.sameInstance.count,
      sameInstanceMedianMs: outcome.sameInstance.median,
      sameInstanceP99Ms: outcome.sameInstance.p99,
      crossInstanceSamples: outcome.crossInstance.count,
      crossInstanceMedianMs: outcome.crossInstance.median,
      crossInstanceP99Ms: outcome.crossInstance.p99,
      allPeersP99Ms: outcome.allPeers.p99,
      ...commonMetrics(outcome, durationMs + settleMs),
    },
    ...(error ? { error } : {}),
  };
}

async function measureThroughput(context: ScenarioContext, instances: RunningServer[]): Promise<ResultRow> {
  const { documents, clientsPerDocument, editsPerSecondPerDocument, durationMs, settleMs } = context.plan.cluster.throughput;
  const [first] = instances;
  if (!first) throw new Error('no instance');
  const documentIds = await provisionDocuments(first, documents, 'cluster');
  await openPerDocument(context, instances, documentIds, clientsPerDocument, 1);
  const offered = documents * editsPerSecondPerDocument;
  const outcome = await typeOnce(context, instances, documents, offered, durationMs, settleMs);
  await context.pool.closeAll();
  const delivered = round(outcome.deliveredWhileRecording / (durationMs / 1000), 0);
  context.log(`    ${throughputCase(instances.length)}: ${delivered} updates/s delivered, p99 ${outcome.delivery.p99} ms`);
  const error = problems(outcome, settleMs);
  return {
    server: 'quire',
    case: throughputCase(instances.length),
    metrics: {
      instances: instances.length,
      documents,
      clients: documents * clientsPerDocument,
      offeredEditsPerSecond: offered,
      deliveredUpdatesPerSecond: delivered,
      offeredDeliveriesPerSecond: offered * (clientsPerDocument - 1),
      deliveryMedianMs: outcome.delivery.median,
      deliveryP99Ms: outcome.delivery.p99,
      deliveryMaxMs: outcome.delivery.max,
      sameInstanceP99Ms: outcome.sameInstance.p99,
      crossInstanceP99Ms: outcome.crossInstance.p99,
      ...commonMetrics(outcome, durationMs + settleMs),
    },
    ...(error ? { error } : {}),
  };
}

/** Both measurements for each instance count, on one fresh database per run. */
async function measureCluster(context: ScenarioContext): Promise<ResultRow[]> {
  const storage = await createClusterStorage();
  // A scenario that overruns its bound is abandoned by the runner: drop the database then too.
  const dropOnAbort = () => void storage.drop().catch(() => {});
  context.signal.addEventListener('abort', dropOnAbort, { once: true });
  const rows: ResultRow[] = [];
  try {
    for (const count of context.plan.cluster.instanceCounts) {
      if (context.signal.aborted) break;
      context.log(`  ${instancesLabel(count)}`);
      try {
        const measuredRows = await withServers(
          context,
          'quire',
          count,
          async (instances) => [await measureFanout(context, instances), await measureThroughput(context, instances)],
          { env: storage.env },
        );
        rows.push(...measuredRows);
      } catch (error) {
        // One count failing (an instance that would not start, say) leaves the others' figures.
        const message = error instanceof Error ? error.message : String(error);
        context.log(`  ${instancesLabel(count)} failed: ${message.split('\n')[0]}`);
        rows.push({ server: 'quire', case: instancesLabel(count), metrics: { instances: count }, error: message.split('\n').slice(0, 3).join(' ') });
      }
    }
    return rows;
  } finally {
    context.signal.removeEventListener('abort', dropOnAbort);
    await storage.drop();
  }
}

/** Runs the cluster scenario when Quire is among the servers. */
export const clusterScenario: Scenario = async (context) => {
  const { instanceCounts, fanout, throughput } = context.plan.cluster;
  const servers = context.servers.filter((name) => name === 'quire');
  const cases: Record<string, string> = {};
  for (const count of instanceCounts.filter((count) => count !== 1)) {
    cases[fanoutCase(count)] = fanoutCase(1);
    cases[throughputCase(count)] = throughputCase(1);
  }
  return {
    id: 'cluster',
    title: `7. Cluster (Quire, ${instanceCounts.join(', ')} instances on one PostgreSQL and one Redis)`,
    rows: await forEachServer(context, servers, () => measureCluster(context)),
    compareMetrics: [],
    baseline: {
      metrics: ['deliveryMedianMs', 'deliveryP99Ms', 'crossInstanceMedianMs', 'crossInstanceP99Ms', 'deliveredUpdatesPerSecond', 'cpuPercentTotal'],
      cases,
    },
    notes: [
      'Each instance is `bun server/main.ts` in its own process with DATABASE_URL (a throwaway database per run), REDIS_URL and one SESSION_SECRET; every instance is started fresh for each count, and clients connect to instances directly (no load balancer).',
      `Fan-out: one document, ${fanout.clients} clients round-robin over the instances, ${fanout.writers} of them typing ${fanout.editsPerSecondPerWriter} characters/s for ${fanout.durationMs / 1000} s. same/crossInstance split the deliveries by whether the reader is connected to the writer's instance; cross-instance ones pass through Redis.`,
      `Throughput: ${throughput.documents} documents x ${throughput.clientsPerDocument} clients, one writer per document typing ${throughput.editsPerSecondPerDocument} characters/s for ${throughput.durationMs / 1000} s (far above human speed on purpose: on the 2-core reference machine that is more than one instance delivers, so latency includes queueing); a document's clients sit on consecutive instances, so with 2 or more instances every document is open on several. deliveredUpdatesPerSecond counts edits that reached a peer while typing went on, over all clients.`,
      'duplicateUpdates counts updates that brought a peer only edits it already had; editsIncomplete counts edits that had not reached some peer by the end of the settle time (a backlog, or a loss). CPU is each instance\'s share of one core over the typing window; peak RSS is since the instance started.',
      'Everything runs on one machine: on 2 cores, extra instances compete with each other, PostgreSQL, Redis and the load generator for the same cores, so the throughput ratios say little about scaling across machines. What this shows is that a cluster stays correct (nothing lost, nothing doubled, replicas converge) and what the Redis hop costs in latency and CPU.',
    ],
  };
};
