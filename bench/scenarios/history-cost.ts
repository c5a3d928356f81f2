/**
 * History cost (Quire only, issue 14): the automerge-paper trace replayed with revisions off
 * (HISTORY=off) and on, the writer pausing after every `burstEvery` updates so each run of
 * updates is one edit burst (and, with history on, one revision). Both runs have the same
 * pacing; reported are the server's CPU for the whole replay and, with history on, the bytes the
 * revisions hold against the final compacted document. Runs alternate off/on `repetitions` times.
 */
import { Database } from 'bun:sqlite';
import { rmSync } from 'node:fs';
import path from 'node:path';
import * as Y from 'yjs';
import { round, summarize } from '../lib/stats.ts';
import { traceFile, TRACE_ATTRIBUTION } from '../traces/trace-files.ts';
import { withServer } from './server-session.ts';
import { replayThroughServer } from './trace-replay.ts';
import type { ResultRow, Scenario, ScenarioContext } from './types.ts';

/** The goals of issue 14. */
export const HISTORY_CPU_GOAL = 1.1;
export const HISTORY_BYTES_GOAL = 3;

/** A burst ends this long after the last edit (Quire's default is 3 s); the writer's break is three times that. */
const BURST_IDLE_MS = 20;
const PAUSE_MS = 3 * BURST_IDLE_MS;

/** The Quire settings of each variant, printed with the results. */
export const HISTORY_VARIANTS = {
  'revisions off': { HISTORY: 'off', ACTIVITY_IDLE_MS: String(BURST_IDLE_MS) },
  'revisions on': { HISTORY: 'on', ACTIVITY_IDLE_MS: String(BURST_IDLE_MS) },
} as const;
type Variant = keyof typeof HISTORY_VARIANTS;

/** What one replay left in the store, read from the SQLite file once the server has stopped. */
interface StoredHistory {
  revisions: number;
  /** `changes` + `state_vector` of every revision of the document. */
  historyBytes: number;
  /** The document's update log merged into one snapshot, as compaction stores it. */
  compactedBytes: number;
  editEvents: number;
}

function storedHistory(dataDir: string, documentId: string): StoredHistory {
  const db = new Database(path.join(dataDir, 'quire.sqlite'), { readonly: true });
  try {
    const revisions = db
      .query('SELECT count(*) AS n, coalesce(sum(length(changes) + length(state_vector)), 0) AS bytes FROM revisions WHERE document_id = ?')
      .get(documentId) as { n: number; bytes: number };
    const events = db.query("SELECT count(*) AS n FROM activity WHERE document_id = ? AND type = 'document.edited'").get(documentId) as { n: number };
    const doc = new Y.Doc();
    for (const row of db.query('SELECT data FROM document_updates WHERE document_id = ? ORDER BY id').all(documentId) as { data: Uint8Array }[]) {
      Y.applyUpdate(doc, row.data);
    }
    const compactedBytes = Y.encodeStateAsUpdate(doc).byteLength;
    doc.destroy();
    return { revisions: revisions.n, historyBytes: revisions.bytes, compactedBytes, editEvents: events.n };
  } finally {
    db.close();
  }
}

interface Run {
  cpuMs: number;
  replayMs: number;
  pauses: number;
  matched: boolean;
  stored: StoredHistory;
}

async function replayOnce(context: ScenarioContext, variant: Variant): Promise<Run> {
  const { txnLimit, burstEvery } = context.plan.historyCost;
  let dataDir = '';
  const outcome = await withServer(
    context,
    'quire',
    async (server) => {
      dataDir = server.dataDir;
      // The settle lets the last burst end (and its revision be stored) inside the measured window.
      const pacing = { pause: { every: burstEvery, ms: PAUSE_MS }, settleMs: 10 * BURST_IDLE_MS };
      // The whole automerge-paper trace is under 300,000 updates; its breaks add to the replay's time bound.
      const breaksMs = (Math.min(txnLimit, 300_000) / burstEvery) * PAUSE_MS * 2;
      return replayThroughServer(context, server, traceFile(context.plan.trace.file), txnLimit, context.plan.trace.replayTimeoutMs + breaksMs, pacing);
    },
    { env: { ...HISTORY_VARIANTS[variant] }, keepData: true },
  );
  try {
    const stored = storedHistory(dataDir, outcome.documentId);
    return { cpuMs: outcome.use.cpuMs, replayMs: outcome.replayMs, pauses: outcome.pauses, matched: outcome.matched, stored };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function variantRow(variant: Variant, runs: Run[]): ResultRow {
  const cpu = summarize(runs.map((run) => run.cpuMs));
  const last = runs[runs.length - 1];
  const stored = last?.stored;
  const matched = runs.every((run) => run.matched);
  return {
    server: 'quire',
    case: variant,
    metrics: {
      runs: runs.length,
      serverCpuMs: cpu.median,
      serverCpuMsEachRun: runs.map((run) => Math.round(run.cpuMs)).join(' / '),
      replayMs: round(summarize(runs.map((run) => run.replayMs)).median, 0),
      pauses: last?.pauses ?? null,
      editEvents: stored?.editEvents ?? null,
      revisions: stored?.revisions ?? null,
      historyBytes: stored?.historyBytes ?? null,
      compactedDocumentBytes: stored?.compactedBytes ?? null,
      historyToDocument: stored && variant === 'revisions on' ? round(stored.historyBytes / stored.compactedBytes, 2) : null,
      observerMatchedEndContent: matched,
    },
    ...(matched ? {} : { error: 'the observer did not end with the trace text' }),
  };
}

/** Replays with revisions off and on, alternating, and compares. */
export const historyCostScenario: Scenario = async (context) => {
  const { txnLimit, burstEvery, repetitions } = context.plan.historyCost;
  const runs: Record<Variant, Run[]> = { 'revisions off': [], 'revisions on': [] };
  const rows: ResultRow[] = [];
  if (context.servers.includes('quire')) {
    try {
      for (let repetition = 0; repetition < repetitions; repetition++) {
        for (const variant of Object.keys(HISTORY_VARIANTS) as Variant[]) {
          const run = await replayOnce(context, variant);
          runs[variant].push(run);
          context.log(`    ${variant}: CPU ${Math.round(run.cpuMs)} ms, ${run.stored.revisions} revisions, ${run.stored.historyBytes} B of history, document ${run.stored.compactedBytes} B`);
        }
      }
    } catch (error) {
      rows.push({ server: 'quire', case: 'all', metrics: {}, error: error instanceof Error ? error.message.split('\n')[0] : String(error) });
    }
    for (const variant of Object.keys(runs) as Variant[]) if (runs[variant].length > 0) rows.push(variantRow(variant, runs[variant]));
  }
  const settings = (variant: Variant) => Object.entries(HISTORY_VARIANTS[variant]).map(([name, value]) => `${name}=${value}`).join(', ');
  return {
    id: 'history-cost',
    title: '9. History cost (Quire: trace replay with revisions off and on)',
    rows,
    compareMetrics: [],
    baseline: { metrics: ['serverCpuMs', 'replayMs'], cases: { 'revisions on': 'revisions off' } },
    notes: [
      `${context.plan.trace.file}${Number.isFinite(txnLimit) ? ` (first ${txnLimit} transactions)` : ''}, one update per transaction; after every ${burstEvery} updates the writer waits for its socket to drain and pauses ${PAUSE_MS} ms, so each run of ${burstEvery} is one edit burst (the trace's own timestamps are unreliable). Same pacing in both variants.`,
      `Settings changed for this scenario: revisions off = ${settings('revisions off')}; revisions on = ${settings('revisions on')} (Quire's default ACTIVITY_IDLE_MS is 3000).`,
      `serverCpuMs: the server process's user + system CPU from the first update until ${10 * BURST_IDLE_MS} ms after the observer held the trace's text (the last burst's revision included); median of ${repetitions} run(s) per variant, run alternately. Goal: revisions on ≤ ${HISTORY_CPU_GOAL}× revisions off (see the baseline table).`,
      `historyBytes: the revisions' changes + state vectors in the SQLite file after the server stopped; compactedDocumentBytes: the document's update log merged into one snapshot. Goal: historyToDocument ≤ ${HISTORY_BYTES_GOAL}.`,
      'editEvents: document.edited events stored (one per burst); with revisions on each has a revision (plus the document\'s first, for its initial paragraph).',
      TRACE_ATTRIBUTION,
    ],
  };
};
