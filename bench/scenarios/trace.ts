/**
 * Scenario 4, trace replay: every editing trace the suite carries, through each server. Each
 * trace is replayed sequentially (one writer, against the in-process floor); each multi-author
 * trace also concurrently (one client per author, merging along the trace's DAG). Every row
 * carries its ratio to the relay floor measured in the same run.
 */
import { round } from '../lib/stats.ts';
import { suiteTraces, type TraceInfo } from '../loadgen/trace-catalog.ts';
import type { TargetName } from '../servers/targets.ts';
import { provisionDocuments } from '../servers/launcher.ts';
import { traceFile, TRACE_ATTRIBUTION } from '../traces/trace-files.ts';
import { addressOf, forEachServer, measured, withServer } from './server-session.ts';
import { replayThroughServer } from './trace-replay.ts';
import type { ResultRow, Scenario, ScenarioContext } from './types.ts';

/** The durable setting whose cost the sequential replay also measures on Quire. */
export const FULL_SYNC_SETTING = 'SQLITE_SYNCHRONOUS=FULL';

/** The floor every row is divided by. */
const FLOOR: TargetName = 'relay';

const sequentialCase = (trace: string): string => `${trace}, sequential`;
const concurrentCase = (trace: string): string => `${trace}, concurrent`;

async function measureSequential(context: ScenarioContext, name: TargetName, trace: TraceInfo, variant: 'default' | 'full-sync' = 'default'): Promise<ResultRow[]> {
  const { txnLimit } = context.plan.trace;
  const env: Record<string, string> = variant === 'full-sync' ? { SQLITE_SYNCHRONOUS: 'FULL' } : {};
  return withServer(context, name, async (server) => {
    const outcome = await replayThroughServer(context, server, traceFile(trace.name), txnLimit, context.plan.trace.replayTimeoutMs);
    const label = variant === 'full-sync' ? `${sequentialCase(trace.name)}, ${FULL_SYNC_SETTING}` : sequentialCase(trace.name);
    context.log(`    ${label}: ${Math.round(outcome.replayMs)} ms (local floor ${Math.round(outcome.localApplyMs)} ms), matched=${outcome.matched}`);
    return [
      {
        server: name,
        case: label,
        metrics: {
          updates: outcome.updates,
          replayMs: round(outcome.replayMs, 0),
          ratioToRelay: null,
          localFloorMs: round(outcome.localApplyMs, 0),
          ratioToLocalFloor: round(outcome.replayMs / outcome.localApplyMs, 2),
          updatesPerSecond: round(outcome.updates / (outcome.replayMs / 1000), 0),
          observerMatchedEndContent: outcome.matched,
          serverCpuMs: round(outcome.use.cpuMs, 0),
          serverPeakRssMiB: outcome.use.peakRssMiB,
        },
        ...(outcome.matched ? {} : { error: `observer text length ${outcome.observerTextLength}, expected ${outcome.expectedText.length}` }),
      },
    ];
  }, { env });
}

async function measureConcurrent(context: ScenarioContext, name: TargetName, trace: TraceInfo): Promise<ResultRow[]> {
  const timeoutMs = context.plan.trace.replayTimeoutMs;
  return withServer(context, name, async (server) => {
    const [documentId] = await provisionDocuments(server, 1, 'concurrent');
    const worker = context.pool.workers[0];
    if (!documentId || !worker) throw new Error('no document or worker');
    const request = { server: addressOf(server), documentId, traceFile: traceFile(trace.name), timeoutMs };
    const { result, use } = await measured(server, () => worker.request('concurrentReplay', request, timeoutMs + 30_000));
    context.log(`    ${concurrentCase(trace.name)}: ${Math.round(result.elapsedMs)} ms, converged=${result.converged}`);
    return [
      {
        server: name,
        case: concurrentCase(trace.name),
        metrics: {
          txns: result.txns,
          replayMs: round(result.elapsedMs, 0),
          ratioToRelay: null,
          waitsForPeer: result.waitsForPeer,
          converged: result.converged,
          serverCpuMs: round(use.cpuMs, 0),
          serverPeakRssMiB: use.peakRssMiB,
        },
        ...(result.converged ? {} : { error: convergenceError(result) }),
      },
    ];
  });
}

function convergenceError(result: { observerComplete: boolean; observerTextLength: number; firstDifference: number | null }): string {
  return result.observerComplete
    ? `the observer holds every update, but its text differs from endContent at offset ${result.firstDifference}`
    : `the observer still lacked updates when the time ran out (text length ${result.observerTextLength})`;
}

/** Fills each row's `ratioToRelay`: its replayMs over the relay's for the same case in this run. */
function addRelayRatios(rows: ResultRow[]): void {
  for (const row of rows) {
    if (!('ratioToRelay' in row.metrics)) continue;
    const floor = rows.find((candidate) => candidate.server === FLOOR && candidate.case === row.case && !candidate.error)?.metrics.replayMs;
    const replayMs = row.metrics.replayMs;
    if (!row.error && typeof replayMs === 'number' && typeof floor === 'number' && floor > 0) row.metrics.ratioToRelay = round(replayMs / floor, 2);
  }
}

function describe(trace: TraceInfo, txnLimit: number): string {
  const limit = Number.isFinite(txnLimit) && txnLimit < trace.txns ? `, first ${txnLimit} sequentially` : '';
  return `${trace.name} (${trace.authors > 1 ? `${trace.authors} authors` : 'one author'}, ${trace.txns} transactions${limit})`;
}

/** Replays every trace sequentially and every multi-author trace concurrently, on every server. */
export const traceScenario: Scenario = async (context) => {
  const { file, txnLimit } = context.plan.trace;
  const traces = suiteTraces();
  const primary = traces.find((trace) => trace.name === file);
  // Smoke runs skip the concurrent replays.
  const concurrent = context.plan.trace.concurrent ? traces.filter((trace) => trace.authors > 1) : [];
  const single = traces.filter((trace) => trace.authors === 1);
  const rows: ResultRow[] = [];
  for (const trace of traces) rows.push(...(await forEachServer(context, context.servers, (name) => measureSequential(context, name, trace))));
  // What surviving a power cut costs: the same replay with an fsync per SQLite commit.
  const measureFullSync = Boolean(primary) && context.plan.trace.fullSyncVariant && context.servers.includes('quire');
  if (primary && measureFullSync) rows.push(...(await forEachServer(context, ['quire'], (name) => measureSequential(context, name, primary, 'full-sync'))));
  for (const trace of concurrent) rows.push(...(await forEachServer(context, context.servers, (name) => measureConcurrent(context, name, trace))));
  addRelayRatios(rows);
  const fullSyncCase = `${sequentialCase(file)}, ${FULL_SYNC_SETTING}`;
  return {
    id: 'trace',
    title: '4. Trace replay',
    rows,
    compareMetrics: ['replayMs', 'serverCpuMs'],
    ...(measureFullSync ? { baseline: { metrics: ['replayMs', 'serverCpuMs'], cases: { [fullSyncCase]: sequentialCase(file) } } } : {}),
    notes: [
      `Traces: ${traces.map((trace) => describe(trace, txnLimit)).join('; ')}.`,
      'Sequential: one writer sends one update per transaction as fast as its socket drains; time until an observer in another process holds exactly the expected text. A multi-author trace is sent by the one writer as its authors produced it along the DAG, in the trace\'s order. Local floor = the same transactions applied to one in-process Y.Doc (typed into it for a single author; the produced updates applied for a DAG).',
      concurrent.length > 0
        ? `Concurrent (${concurrent.map((trace) => trace.name).join(', ')}): one client per author; each author's update goes out once its DAG ancestors by other authors have come back to it through the server; converged = an observer holds endContent exactly. The updates are produced before the clock starts, so every server gets the same updates. Only multi-author traces replay concurrently: ${single.map((trace) => trace.name).join(', ')} record one author, each edit placed in the text left by every edit before it, so spread over several clients they would only add round trips, not concurrency the history had.`
        : '',
      `ratioToRelay = replayMs ÷ the ${FLOOR} floor's replayMs for the same case in this run (it forwards frames without Yjs).`,
      measureFullSync ? `${fullSyncCase}: Quire's replay again with SQLite's synchronous=FULL (an fsync per commit, survives a power cut) against the default NORMAL (survives a process crash).` : '',
      TRACE_ATTRIBUTION,
    ].filter(Boolean),
  };
};
