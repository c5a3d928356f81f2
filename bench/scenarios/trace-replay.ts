/**
 * Replaying a real editing trace through a server: one writer sends every transaction as its own
 * update, an observer in another process must end up with exactly the trace's text. The
 * coordinator times it from "send" to "observer matched", in its own clock.
 */
import { provisionDocuments, type RunningServer } from '../servers/launcher.ts';
import type { ScenarioContext } from './types.ts';
import { addressOf, measured } from './server-session.ts';
import { sleep } from '../lib/deadline.ts';
import type { ResourceUse } from '../lib/proc-stats.ts';

/** What one replay measured. */
export interface ReplayOutcome {
  documentId: string;
  expectedText: string;
  matched: boolean;
  observerTextLength: number;
  updates: number;
  bytes: number;
  /** The trace's authors (1 for a single author's keystrokes). */
  authors: number;
  /** The in-process floor: the trace's transactions applied to one local Y.Doc, one at a time. */
  localApplyMs: number;
  sendMs: number;
  replayMs: number;
  /** Breaks the writer took (see `ReplayPacing`). */
  pauses: number;
  use: ResourceUse;
}

/** How a replay is paced: breaks between runs of updates, and a wait (still measured) after the observer matched. */
export interface ReplayPacing {
  pause?: { every: number; ms: number };
  settleMs?: number;
}

/** Replays the first `txnLimit` transactions of `traceFile` through `server`. */
export async function replayThroughServer(
  context: ScenarioContext,
  server: RunningServer,
  traceFile: string,
  txnLimit: number,
  timeoutMs: number,
  pacing: ReplayPacing = {},
): Promise<ReplayOutcome> {
  const workers = context.pool.workers;
  const writer = workers[0];
  const observer = workers[workers.length - 1];
  if (!writer || !observer) throw new Error('no load workers');
  const [documentId] = await provisionDocuments(server, 1, 'trace');
  if (!documentId) throw new Error('no document');
  const address = addressOf(server);
  const prepared = await writer.request('tracePrepare', { traceFile, txnLimit }, 120_000);
  await writer.request('traceConnectWriter', { server: address, documentId, timeoutMs: 10_000 }, 15_000);
  await observer.request('observerConnect', { server: address, documentId, expectedText: prepared.expectedText, timeoutMs: 10_000 }, 15_000);
  const { result, use } = await measured(server, async () => {
    const started = performance.now();
    const sending = writer.request('traceSend', { timeoutMs, ...(pacing.pause ? { pause: pacing.pause } : {}) }, timeoutMs + 5_000);
    const waited = await observer.request('observerWait', { timeoutMs }, timeoutMs + 5_000);
    const replayMs = performance.now() - started;
    const sent = await sending;
    if (pacing.settleMs) await sleep(pacing.settleMs);
    return { waited, replayMs, sendMs: sent.sendMs, pauses: sent.pauses };
  });
  return {
    documentId,
    expectedText: prepared.expectedText,
    matched: result.waited.matched,
    observerTextLength: result.waited.textLength,
    updates: prepared.updates,
    bytes: prepared.bytes,
    authors: prepared.authors,
    localApplyMs: prepared.prepareMs,
    sendMs: result.sendMs,
    replayMs: result.replayMs,
    pauses: result.pauses,
    use,
  };
}
