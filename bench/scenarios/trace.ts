/**
 * Scenario 4, trace replay: the automerge-paper keystroke history through each server, against
 * the in-process floor; then the concurrent friendsforever trace, one client per author.
 */
import { round } from '../lib/stats.ts';
import type { TargetName } from '../servers/targets.ts';
import { provisionDocuments } from '../servers/launcher.ts';
import { traceFile, TRACE_ATTRIBUTION } from '../traces/trace-files.ts';
import { addressOf, forEachServer, withServer } from './server-session.ts';
import { replayThroughServer } from './trace-replay.ts';
import type { ResultRow, Scenario, ScenarioContext } from './types.ts';

/** The durable setting whose cost the sequential replay also measures on Quire. */
export const FULL_SYNC_SETTING = 'SQLITE_SYNCHRONOUS=FULL';

async function measureSequential(context: ScenarioContext, name: TargetName, variant: 'default' | 'full-sync' = 'default'): Promise<ResultRow[]> {
  const { file, txnLimit } = context.plan.trace;
  const env: Record<string, string> = variant === 'full-sync' ? { SQLITE_SYNCHRONOUS: 'FULL' } : {};
  return withServer(context, name, async (server) => {
    const outcome = await replayThroughServer(context, server, traceFile(file), txnLimit, context.plan.trace.replayTimeoutMs);
    const label = variant === 'full-sync' ? `${file}, ${FULL_SYNC_SETTING}` : file;
    context.log(`    ${label}: ${Math.round(outcome.replayMs)} ms (local floor ${Math.round(outcome.localApplyMs)} ms), matched=${outcome.matched}`);
    return [
      {
        server: name,
        case: label,
        metrics: {
          updates: outcome.updates,
          replayMs: round(outcome.replayMs, 0),
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

async function measureConcurrent(context: ScenarioContext, name: TargetName, file: string): Promise<ResultRow[]> {
  return withServer(context, name, async (server) => {
    const [documentId] = await provisionDocuments(server, 1, 'concurrent');
    const worker = context.pool.workers[0];
    if (!documentId || !worker) throw new Error('no document or worker');
    const result = await worker.request('concurrentReplay', { server: addressOf(server), documentId, traceFile: traceFile(file), timeoutMs: context.plan.trace.replayTimeoutMs }, context.plan.trace.replayTimeoutMs + 10_000);
    context.log(`    ${file}: ${Math.round(result.elapsedMs)} ms, converged=${result.converged}`);
    return [
      {
        server: name,
        case: file,
        metrics: { txns: result.txns, replayMs: round(result.elapsedMs, 0), waitsForPeer: result.waitsForPeer, converged: result.converged },
        ...(result.converged ? {} : { error: 'replicas did not converge on endContent' }),
      },
    ];
  });
}

/** Runs both replays on every server. */
export const traceScenario: Scenario = async (context) => {
  const { file, txnLimit, concurrentFile } = context.plan.trace;
  const rows = await forEachServer(context, context.servers, (name) => measureSequential(context, name));
  // What surviving a power cut costs: the same replay with an fsync per SQLite commit.
  const measureFullSync = context.plan.trace.fullSyncVariant && context.servers.includes('quire');
  if (measureFullSync) rows.push(...(await forEachServer(context, ['quire'], (name) => measureSequential(context, name, 'full-sync'))));
  if (concurrentFile) rows.push(...(await forEachServer(context, context.servers, (name) => measureConcurrent(context, name, concurrentFile))));
  return {
    id: 'trace',
    title: '4. Trace replay',
    rows,
    compareMetrics: ['replayMs', 'serverCpuMs'],
    ...(measureFullSync ? { baseline: { metrics: ['replayMs', 'serverCpuMs'], cases: { [`${file}, ${FULL_SYNC_SETTING}`]: file } } } : {}),
    notes: [
      `${file}${Number.isFinite(txnLimit) ? ` (first ${txnLimit} transactions)` : ''}: one writer sends one update per transaction as fast as its socket drains; time until an observer in another process holds exactly the expected text. Local floor = the same transactions applied to one in-process Y.Doc.`,
      concurrentFile ? `${concurrentFile}: one client per author, each transaction applied once its DAG parents (including the other author's, received through the server) are merged; converged = every replica and an observer hold endContent.` : '',
      measureFullSync ? `${file}, ${FULL_SYNC_SETTING}: Quire's replay again with SQLite's synchronous=FULL (an fsync per commit, survives a power cut) against the default NORMAL (survives a process crash).` : '',
      TRACE_ATTRIBUTION,
    ].filter(Boolean),
  };
};
