/**
 * Scenario 1, fan-out latency: one document, N clients, a fraction of them typing at a human
 * rate; latency from a writer's local edit to its arrival at every other client. Then a rate
 * ramp finds the highest total edit rate at which p99 stays under the limit.
 */
import { quantileOfSorted, round } from '../lib/stats.ts';
import type { TargetName } from '../servers/targets.ts';
import { provisionDocuments } from '../servers/launcher.ts';
import { addressOf, forEachServer, measuredEach, quiet, split, summarizeTyping, withServer } from './server-session.ts';
import type { ResultRow, Scenario, ScenarioContext } from './types.ts';
import type { RunningServer } from '../servers/launcher.ts';

const OPEN_TIMEOUT_MS = 60_000;

/**
 * Opens `clients` clients (of which `writers` type) on one new document, spread over the
 * workers and, with several instances of a cluster, round-robin over the instances.
 */
export async function openOneDocument(context: ScenarioContext, servers: readonly RunningServer[], clients: number, writers: number): Promise<void> {
  const [first] = servers;
  if (!first) throw new Error('no server');
  const [documentId] = await provisionDocuments(first, 1, 'fanout');
  if (!documentId) throw new Error('no document');
  const clientShares = split(clients, context.pool.workers.length);
  const writerShares = split(writers, context.pool.workers.length);
  const opened = await context.pool.all(
    'open',
    (worker) => ({
      servers: servers.map(addressOf),
      // Writers come first in each worker's share, so this offset rotates them over all instances.
      firstInstance: writerShares.slice(0, worker.index).reduce((sum, share) => sum + share, 0),
      groups: [{ documentId, clients: clientShares[worker.index] ?? 0, writers: writerShares[worker.index] ?? 0 }],
      concurrency: 50,
      timeoutMs: 20_000,
    }),
    OPEN_TIMEOUT_MS,
  );
  const failed = opened.reduce((sum, result) => sum + result.failed, 0);
  if (failed > 0) throw new Error(`${failed} clients failed to sync: ${opened.find((result) => result.firstError)?.firstError}`);
}

/**
 * Has every writer type for a while (`totalRate` edits/s shared among `writers`) and summarises
 * what every worker measured, with each server's CPU and memory over the same time.
 */
export async function typeOnce(context: ScenarioContext, servers: readonly RunningServer[], writers: number, totalRate: number, durationMs: number, settleMs: number) {
  const writerShares = split(writers, context.pool.workers.length);
  const perWriter = totalRate / Math.max(1, writers);
  const { result: parts, uses } = await measuredEach(servers, () =>
    context.pool.all(
      'type',
      (worker) => ({ editsPerSecondPerWriter: (writerShares[worker.index] ?? 0) > 0 ? perWriter : 0, durationMs, settleMs }),
      durationMs + settleMs + 30_000,
    ),
  );
  return { ...summarizeTyping(parts), uses };
}

/** Types on a fresh server, unmeasured, so the runtime has compiled its hot code before the first window. */
async function warmUp(context: ScenarioContext, server: RunningServer): Promise<void> {
  const warmup = context.plan.fanout.warmup;
  if (!warmup) return;
  await openOneDocument(context, [server], warmup.clients, warmup.writers);
  await typeOnce(context, [server], warmup.writers, warmup.editsPerSecond, warmup.durationMs, 500);
  await context.pool.closeAll();
  await quiet(server);
}

async function measureFanout(context: ScenarioContext, name: TargetName, roundNumber: number): Promise<ResultRow[]> {
  const { clientCounts, writerFraction, editsPerSecondPerWriter, durationMs, settleMs, rounds } = context.plan.fanout;
  return withServer(context, name, async (server) => {
    await warmUp(context, server);
    const rows: ResultRow[] = [];
    for (const clients of clientCounts) {
      const writers = Math.max(1, Math.round(clients * writerFraction));
      await openOneDocument(context, [server], clients, writers);
      const outcome = await typeOnce(context, [server], writers, writers * editsPerSecondPerWriter, durationMs, settleMs);
      const use = outcome.uses[0];
      const serverCpuPercent = use ? round((use.cpuMs / (durationMs + settleMs)) * 100, 1) : null;
      rows.push({
        server: name,
        case: `N=${clients}`,
        metrics: {
          clients,
          writers,
          editsSent: outcome.editsSent,
          deliverySamples: outcome.delivery.count,
          deliveryMedianMs: outcome.delivery.median,
          deliveryP99Ms: outcome.delivery.p99,
          allPeersMedianMs: outcome.allPeers.median,
          allPeersP99Ms: outcome.allPeers.p99,
          editsIncomplete: outcome.editsIncomplete,
          converged: outcome.converged,
          serverCpuPercent,
          serverPeakRssMiB: use?.peakRssMiB ?? null,
        },
      });
      context.log(`    N=${clients}${rounds > 1 ? ` (round ${roundNumber})` : ''}: p99 ${outcome.delivery.p99} ms, median ${outcome.delivery.median} ms, CPU ${serverCpuPercent} %`);
      await context.pool.closeAll();
      await quiet(server);
    }
    return rows;
  });
}

async function measureRateRamp(context: ScenarioContext, name: TargetName): Promise<ResultRow[]> {
  const ramp = context.plan.rateRamp;
  if (!ramp) return [];
  return withServer(context, name, async (server) => {
    await openOneDocument(context, [server], ramp.clients, ramp.writers);
    let highestPassing: number | null = null;
    const steps: string[] = [];
    for (const rate of ramp.totalEditsPerSecond) {
      const outcome = await typeOnce(context, [server], ramp.writers, rate, ramp.stepMs, 1_000);
      steps.push(`${rate}/s: p99 ${outcome.delivery.p99} ms`);
      const passed = outcome.delivery.p99 !== null && outcome.delivery.p99 <= ramp.p99LimitMs && outcome.editsIncomplete === 0;
      if (!passed) break;
      highestPassing = rate;
    }
    context.log(`    ramp: ${steps.join(', ')}`);
    return [{ server: name, case: 'rate ramp', metrics: { clients: ramp.clients, writers: ramp.writers, maxSustainedEditsPerSecond: highestPassing, steps: steps.join('; ') } }];
  });
}

/**
 * The figures of several rounds of one server and case as one row: each number the median of
 * the rounds that measured it (the p99 and CPU of every round kept beside it), flags true only
 * if true in every round, and an error only if no round succeeded.
 */
export function medianOfRounds(rounds: readonly ResultRow[]): ResultRow {
  const [first] = rounds;
  if (!first) throw new Error('no rounds');
  const succeeded = rounds.filter((row) => !row.error);
  if (succeeded.length === 0 || rounds.length === 1) return first;
  const metrics: ResultRow['metrics'] = {};
  for (const key of Object.keys(succeeded[0]?.metrics ?? {})) {
    const values = succeeded.map((row) => row.metrics[key]);
    const numbers = values.filter((value): value is number => typeof value === 'number').sort((a, b) => a - b);
    if (numbers.length > 0) metrics[key] = round(quantileOfSorted(numbers, 0.5));
    else if (values.every((value) => typeof value === 'boolean')) metrics[key] = values.every(Boolean);
    else metrics[key] = values[0] ?? null;
  }
  const each = (key: string) => succeeded.map((row) => row.metrics[key] ?? '–').join(' / ');
  metrics.rounds = succeeded.length;
  metrics.deliveryP99MsByRound = each('deliveryP99Ms');
  metrics.serverCpuPercentByRound = each('serverCpuPercent');
  return { server: first.server, case: first.case, metrics };
}

/** Groups rows of every round by server and case, in the order they first appeared. */
function combineRounds(rows: readonly ResultRow[]): ResultRow[] {
  const groups = new Map<string, ResultRow[]>();
  for (const row of rows) {
    const key = `${row.server}\u0000${row.case}`;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return [...groups.values()].map(medianOfRounds);
}

/** Runs fan-out (every server in turn, `rounds` times) and the rate ramp on every server. */
export const fanoutScenario: Scenario = async (context) => {
  const perRound: ResultRow[] = [];
  for (let roundNumber = 1; roundNumber <= context.plan.fanout.rounds && !context.signal.aborted; roundNumber++) {
    perRound.push(...(await forEachServer(context, context.servers, (name) => measureFanout(context, name, roundNumber))));
  }
  const rows = combineRounds(perRound);
  const rampRows = context.plan.rateRamp ? await forEachServer(context, context.servers, (name) => measureRateRamp(context, name)) : [];
  const { fanout, rateRamp } = context.plan;
  return {
    id: 'fanout',
    title: '1. Fan-out latency (one document, N clients)',
    rows: [...rows, ...rampRows],
    compareMetrics: ['deliveryMedianMs', 'deliveryP99Ms', 'allPeersP99Ms', 'serverCpuPercent'],
    notes: [
      `${Math.round(fanout.writerFraction * 100)}% of clients type ${fanout.editsPerSecondPerWriter} characters/s each for ${fanout.durationMs / 1000} s into their own paragraph; the rest observe.`,
      fanout.warmup
        ? `Each server is warmed up first (${fanout.warmup.writers} of ${fanout.warmup.clients} clients typing ${fanout.warmup.editsPerSecond} characters/s in all for ${fanout.warmup.durationMs / 1000} s, not measured), so the JIT compiling hot code on its own threads is not charged to the measured windows.`
        : '',
      fanout.rounds > 1 ? `${fanout.rounds} rounds, the servers in turn in each; every figure is the median of the rounds (the p99 and CPU of each round in the ByRound columns).` : '',
      'delivery = edit to arrival at one peer (every peer counted); allPeers = edit to arrival at the last peer in the same load-generator process.',
      rateRamp ? `Rate ramp: ${rateRamp.clients} clients, ${rateRamp.writers} writers; highest total rate whose delivery p99 stays under ${rateRamp.p99LimitMs} ms with nothing lost.` : '',
    ].filter(Boolean),
  };
};
