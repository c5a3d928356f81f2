/**
 * Scenario 5, cold load: replay a trace into a persistent server, restart it on the same data,
 * and time how long a new client takes to hold the whole document (storage load + step 2).
 */
import { sleep } from '../lib/deadline.ts';
import { summarize } from '../lib/stats.ts';
import { launchServer, removeDataDir } from '../servers/launcher.ts';
import { targetByName, type TargetName } from '../servers/targets.ts';
import { traceFile, TRACE_ATTRIBUTION } from '../traces/trace-files.ts';
import { addressOf, forEachServer } from './server-session.ts';
import { replayThroughServer } from './trace-replay.ts';
import type { ResultRow, Scenario, ScenarioContext } from './types.ts';

const RESTARTS = 3;
// Hocuspocus stores 2 s after the last change (its default debounce); wait past it before stopping.
const PERSIST_GRACE_MS = 3_000;

async function measureColdLoad(context: ScenarioContext, name: TargetName): Promise<ResultRow[]> {
  const target = targetByName(name);
  const first = await launchServer(target);
  context.live.add(first);
  const { dataDir, port } = first;
  try {
    const replay = await replayThroughServer(context, first, traceFile(context.plan.trace.file), context.plan.coldLoad.txnLimit, context.plan.trace.replayTimeoutMs);
    if (!replay.matched) throw new Error('replay before restart did not complete');
    await context.pool.closeAll();
    await sleep(PERSIST_GRACE_MS);
    await first.stop();
    context.live.delete(first);
    const loads: number[] = [];
    let allMatched = true;
    for (let restart = 0; restart < RESTARTS; restart++) {
      const server = await launchServer(target, { dataDir, port });
      context.live.add(server);
      try {
        const worker = context.pool.workers[0];
        if (!worker) throw new Error('no load worker');
        const loaded = await worker.request('coldLoad', { server: addressOf(server), documentId: replay.documentId, expectedText: replay.expectedText, timeoutMs: 60_000 }, 70_000);
        allMatched &&= loaded.matched;
        if (loaded.matched) loads.push(loaded.openToTextMs);
      } finally {
        await server.stop();
        context.live.delete(server);
      }
    }
    const summary = summarize(loads);
    context.log(`    cold load median ${summary.median} ms, matched=${allMatched}`);
    return [
      {
        server: name,
        case: `${replay.updates} updates`,
        metrics: { documentChars: replay.expectedText.length, restarts: RESTARTS, coldLoadMedianMs: summary.median, coldLoadMaxMs: summary.max, matchedEndContent: allMatched },
        ...(allMatched ? {} : { error: 'a cold load did not produce the expected text' }),
      },
    ];
  } finally {
    await first.stop();
    context.live.delete(first);
    removeDataDir(first);
  }
}

/** Runs the cold-load scenario on every persistent server. */
export const coldLoadScenario: Scenario = async (context) => {
  const persistent = context.servers.filter((name) => targetByName(name).persistent);
  const skipped = context.servers.filter((name) => !targetByName(name).persistent);
  return {
    id: 'cold-load',
    title: '5. Cold load after restart',
    rows: await forEachServer(context, persistent, (name) => measureColdLoad(context, name)),
    compareMetrics: ['coldLoadMedianMs'],
    notes: [
      `After replaying ${context.plan.trace.file} (${Number.isFinite(context.plan.coldLoad.txnLimit) ? `first ${context.plan.coldLoad.txnLimit} transactions` : 'whole trace'}) and ${RESTARTS} restarts, time from socket creation to a fresh replica holding the whole text.`,
      skipped.length ? `Not measured (no persistence): ${skipped.join(', ')}.` : '',
      TRACE_ATTRIBUTION,
    ].filter(Boolean),
  };
};
