/**
 * Scenario 5, cold load: replay a trace into a persistent server, restart it on the same data,
 * and time how long a new client takes to hold the whole document (storage load + step 2).
 */
import { heapStats } from 'bun:jsc';
import * as Y from 'yjs';
import { sleep } from '../lib/deadline.ts';
import { round, summarize } from '../lib/stats.ts';
import { launchServer, provisionDocuments, removeDataDir } from '../servers/launcher.ts';
import { targetByName, type TargetName } from '../servers/targets.ts';
import { traceFile, TRACE_ATTRIBUTION } from '../traces/trace-files.ts';
import { addressOf, forEachServer } from './server-session.ts';
import { replayThroughServer } from './trace-replay.ts';
import type { ResultRow, Scenario, ScenarioContext } from './types.ts';

const RESTARTS = 3;
/** Goal: memory held by one open document at most this many times its stored size. */
const OPEN_DOCUMENT_GOAL = 4;
/** Time for memory to settle before and after a document is opened, before RSS is read. */
const SETTLE_BEFORE_SAMPLE_MS = 1_500;

const totalBytes = (updates: readonly Uint8Array[]) => updates.reduce((sum, update) => sum + update.byteLength, 0);

/** Heap a bare Y.Doc holding `updates` takes in this process: Yjs's own share of an open document. */
function yDocHeapBytes(updates: Uint8Array[]): number {
  const collectedHeap = () => {
    Bun.gc(true);
    Bun.gc(true);
    return heapStats().heapSize;
  };
  const before = collectedHeap();
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  const held = collectedHeap() - before;
  doc.destroy();
  return held;
}
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
    // Opened before each measurement, so the first document's one-off costs (code compiled on
    // first use, caches) are not counted as the measured document's. It has the same history:
    // an empty one would leave the code that reads a document's content cold, and the runtime
    // compiles a hot loop's code into megabytes the measured document would be charged with.
    const warmUp = await replayThroughServer(context, first, traceFile(context.plan.trace.file), context.plan.coldLoad.txnLimit, context.plan.trace.replayTimeoutMs);
    if (!warmUp.matched) throw new Error('warm-up replay did not complete');
    const warmUpId = warmUp.documentId;
    await context.pool.closeAll();
    await sleep(PERSIST_GRACE_MS);
    await first.stop();
    context.live.delete(first);
    const loads: number[] = [];
    // RSS growth from opening the document, ÷ what is stored for it when it is opened.
    const heldToStored: number[] = [];
    let stored: Uint8Array[] = [];
    let allMatched = true;
    for (let restart = 0; restart < RESTARTS; restart++) {
      stored = target.storedDocumentUpdates?.(dataDir, replay.documentId) ?? [];
      const storedBytes = totalBytes(stored);
      const server = await launchServer(target, { dataDir, port });
      context.live.add(server);
      try {
        const worker = context.pool.workers[0];
        if (!worker) throw new Error('no load worker');
        await worker.request('open', { servers: [addressOf(server)], groups: [{ documentId: warmUpId, clients: 1, writers: 0 }], concurrency: 1, timeoutMs: 30_000 }, 40_000);
        await sleep(SETTLE_BEFORE_SAMPLE_MS);
        const closed = server.sample();
        const loaded = await worker.request('coldLoad', { server: addressOf(server), documentId: replay.documentId, expectedText: replay.expectedText, timeoutMs: 60_000, keepOpen: true }, 70_000);
        await sleep(SETTLE_BEFORE_SAMPLE_MS);
        const open = server.sample();
        await worker.request('closeAll', {}, 10_000);
        allMatched &&= loaded.matched;
        if (loaded.matched) loads.push(loaded.openToTextMs);
        if (storedBytes > 0) heldToStored.push((open.rssBytes - closed.rssBytes) / storedBytes);
      } finally {
        await server.stop();
        context.live.delete(server);
      }
    }
    const summary = summarize(loads);
    const storedBytes = totalBytes(stored);
    const held = summarize(heldToStored);
    context.log(`    cold load median ${summary.median} ms, matched=${allMatched}; open document ${held.median}× its stored size`);
    return [
      {
        server: name,
        case: `${replay.updates} updates`,
        metrics: {
          documentChars: replay.expectedText.length,
          restarts: RESTARTS,
          coldLoadMedianMs: summary.median,
          coldLoadMaxMs: summary.max,
          storedKiB: round(storedBytes / 1024, 1),
          openDocumentRssToStored: held.median === null ? null : round(held.median, 1),
          yDocHeapToStored: storedBytes > 0 ? round(yDocHeapBytes(stored) / storedBytes, 1) : null,
          openDocumentGoal: OPEN_DOCUMENT_GOAL,
          goalMet: held.median !== null && held.median <= OPEN_DOCUMENT_GOAL,
          matchedEndContent: allMatched,
        },
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
    title: '5. Cold load after restart; memory of an open document',
    rows: await forEachServer(context, persistent, (name) => measureColdLoad(context, name)),
    compareMetrics: ['coldLoadMedianMs', 'openDocumentRssToStored'],
    notes: [
      `After replaying ${context.plan.trace.file} (${Number.isFinite(context.plan.coldLoad.txnLimit) ? `first ${context.plan.coldLoad.txnLimit} transactions` : 'whole trace'}) and ${RESTARTS} restarts, time from socket creation to a fresh replica holding the whole text.`,
      `Open document: the server's RSS growth from ${SETTLE_BEFORE_SAMPLE_MS / 1000} s after a restart and a warm-up document of the same history opened (so first-use costs, code compiled included, are not counted) to ${SETTLE_BEFORE_SAMPLE_MS / 1000} s after that one client synced (document open), ÷ storedKiB, the bytes the server stored for the document then (its update log; revisions not counted); median of the ${RESTARTS} restarts. Goal: ≤ ${OPEN_DOCUMENT_GOAL}×. yDocHeapToStored: the JavaScript heap a bare Y.Doc of the same stored updates takes in the benchmark's own process, Yjs's own share.`,
      skipped.length ? `Not measured (no persistence): ${skipped.join(', ')}.` : '',
      TRACE_ATTRIBUTION,
    ].filter(Boolean),
  };
};
