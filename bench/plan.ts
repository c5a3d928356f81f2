/**
 * Sizes and durations of every scenario in each mode. Full mode is sized so the whole suite
 * fits in about 20 minutes on a 2-core machine (plus about 3 for the cluster scenario); quick in
 * 2-3 minutes (plus about 40 s); smoke in seconds.
 */

/** Every knob a scenario reads. */
export interface BenchPlan {
  mode: 'full' | 'quick' | 'smoke';
  /** Load-generator processes (the server under test gets the rest of the machine). */
  workers: number;
  /**
   * `warmup`: typing on a fresh server before anything is measured, so that code compiled by
   * the runtime's JIT (on its own threads, counted in the process's CPU) is not charged to the
   * first windows. `rounds`: every server is measured this many times, in turn, and each figure
   * is the median of its rounds.
   */
  fanout: {
    clientCounts: number[];
    writerFraction: number;
    editsPerSecondPerWriter: number;
    durationMs: number;
    settleMs: number;
    warmup: { clients: number; writers: number; editsPerSecond: number; durationMs: number } | null;
    rounds: number;
  };
  rateRamp: { clients: number; writers: number; totalEditsPerSecond: number[]; stepMs: number; p99LimitMs: number } | null;
  manyDocs: { documents: number; clientsPerDocument: number; editsPerSecondPerDocument: number; durationMs: number };
  capacity: { connections: number; documents: number; concurrencyPerWorker: number };
  /** `fullSyncVariant`: also replay on Quire with SQLITE_SYNCHRONOUS=FULL, to show its cost. */
  trace: {
    file: string;
    txnLimit: number;
    /** Whether every multi-author trace is also replayed concurrently (one client per author). */
    concurrent: boolean;
    replayTimeoutMs: number;
    fullSyncVariant: boolean;
  };
  coldLoad: { txnLimit: number };
  restSse: { documents: number; concurrency: number; durationMs: number; subscribers: number; probes: number };
  cluster: {
    instanceCounts: number[];
    /** One document, clients round-robin over the instances. */
    fanout: { clients: number; writers: number; editsPerSecondPerWriter: number; durationMs: number; settleMs: number };
    /** Many documents, each open on consecutive instances, one writer each, offered more than one instance delivers on 2 cores. */
    throughput: { documents: number; clientsPerDocument: number; editsPerSecondPerDocument: number; durationMs: number; settleMs: number };
  };
  /** Honest clients on one document while one account attacks (Quire only). */
  hostile: { clients: number; writers: number; editsPerSecondPerWriter: number; durationMs: number; settleMs: number };
  /** The client scenarios in Chromium (Quire only): cold first visits, and keys typed into a long document. */
  client: { visits: number; keystrokes: number; typingParagraphs: number };
  /** History's cost (Quire only): the trace replayed with revisions off and on, a burst every `burstEvery` updates, alternately `repetitions` times. */
  historyCost: { txnLimit: number; burstEvery: number; repetitions: number };
  /** Reading history (Quire only): a document with `revisions` revisions listed, and the diff of a `diffDocumentChars`-character document. */
  historyReads: { revisions: number; diffDocumentChars: number; durationMs: number };
  /** Search (Quire only) over `documents` documents on each of `stores`. */
  search: { documents: number; stores: ('sqlite' | 'postgres')[]; concurrency: number; durationMs: number };
  /** Upper bound of each scenario's run across all servers. */
  scenarioTimeoutMs: number;
}

const full: BenchPlan = {
  mode: 'full',
  workers: 2,
  fanout: {
    clientCounts: [50, 200, 500],
    writerFraction: 0.1,
    editsPerSecondPerWriter: 10,
    durationMs: 8_000,
    settleMs: 1_500,
    warmup: { clients: 50, writers: 5, editsPerSecond: 500, durationMs: 6_000 },
    rounds: 3,
  },
  rateRamp: { clients: 50, writers: 5, totalEditsPerSecond: [100, 200, 400, 800, 1600, 3200], stepMs: 4_000, p99LimitMs: 50 },
  manyDocs: { documents: 1_000, clientsPerDocument: 5, editsPerSecondPerDocument: 0.5, durationMs: 10_000 },
  capacity: { connections: 15_000, documents: 1_500, concurrencyPerWorker: 100 },
  trace: { file: 'automerge-paper', txnLimit: Infinity, concurrent: true, replayTimeoutMs: 60_000, fullSyncVariant: true },
  coldLoad: { txnLimit: Infinity },
  restSse: { documents: 10_000, concurrency: 16, durationMs: 8_000, subscribers: 1_000, probes: 20 },
  cluster: {
    instanceCounts: [1, 2, 3],
    fanout: { clients: 60, writers: 6, editsPerSecondPerWriter: 10, durationMs: 10_000, settleMs: 1_500 },
    throughput: { documents: 200, clientsPerDocument: 3, editsPerSecondPerDocument: 40, durationMs: 15_000, settleMs: 2_000 },
  },
  hostile: { clients: 200, writers: 10, editsPerSecondPerWriter: 10, durationMs: 8_000, settleMs: 1_500 },
  client: { visits: 5, keystrokes: 400, typingParagraphs: 2_000 },
  historyCost: { txnLimit: Infinity, burstEvery: 200, repetitions: 1 },
  historyReads: { revisions: 1_000, diffDocumentChars: 100_000, durationMs: 5_000 },
  search: { documents: 10_000, stores: ['sqlite', 'postgres'], concurrency: 4, durationMs: 4_000 },
  scenarioTimeoutMs: 8 * 60_000,
};

const quick: BenchPlan = {
  mode: 'quick',
  workers: 2,
  fanout: {
    clientCounts: [20, 100],
    writerFraction: 0.1,
    editsPerSecondPerWriter: 10,
    durationMs: 3_000,
    settleMs: 1_000,
    warmup: { clients: 20, writers: 2, editsPerSecond: 200, durationMs: 2_000 },
    rounds: 1,
  },
  rateRamp: { clients: 30, writers: 3, totalEditsPerSecond: [200, 800, 3200], stepMs: 2_000, p99LimitMs: 50 },
  manyDocs: { documents: 200, clientsPerDocument: 5, editsPerSecondPerDocument: 0.5, durationMs: 3_000 },
  capacity: { connections: 2_000, documents: 200, concurrencyPerWorker: 100 },
  trace: { file: 'automerge-paper', txnLimit: 30_000, concurrent: true, replayTimeoutMs: 45_000, fullSyncVariant: true },
  coldLoad: { txnLimit: 30_000 },
  restSse: { documents: 1_000, concurrency: 8, durationMs: 3_000, subscribers: 200, probes: 10 },
  cluster: {
    instanceCounts: [1, 2, 3],
    fanout: { clients: 30, writers: 3, editsPerSecondPerWriter: 10, durationMs: 3_000, settleMs: 1_000 },
    throughput: { documents: 100, clientsPerDocument: 3, editsPerSecondPerDocument: 80, durationMs: 4_000, settleMs: 1_000 },
  },
  hostile: { clients: 100, writers: 5, editsPerSecondPerWriter: 10, durationMs: 4_000, settleMs: 1_000 },
  client: { visits: 3, keystrokes: 300, typingParagraphs: 2_000 },
  historyCost: { txnLimit: 30_000, burstEvery: 200, repetitions: 2 },
  historyReads: { revisions: 1_000, diffDocumentChars: 100_000, durationMs: 3_000 },
  search: { documents: 10_000, stores: ['sqlite', 'postgres'], concurrency: 4, durationMs: 2_000 },
  scenarioTimeoutMs: 3 * 60_000,
};

const smoke: BenchPlan = {
  mode: 'smoke',
  workers: 1,
  fanout: { clientCounts: [6], writerFraction: 0.34, editsPerSecondPerWriter: 10, durationMs: 1_000, settleMs: 500, warmup: { clients: 3, writers: 1, editsPerSecond: 20, durationMs: 500 }, rounds: 1 },
  rateRamp: null,
  manyDocs: { documents: 5, clientsPerDocument: 3, editsPerSecondPerDocument: 2, durationMs: 1_000 },
  capacity: { connections: 50, documents: 5, concurrencyPerWorker: 20 },
  trace: { file: 'automerge-paper', txnLimit: 2_000, concurrent: false, replayTimeoutMs: 20_000, fullSyncVariant: false },
  coldLoad: { txnLimit: 2_000 },
  restSse: { documents: 50, concurrency: 4, durationMs: 500, subscribers: 5, probes: 3 },
  cluster: {
    instanceCounts: [1, 2],
    fanout: { clients: 6, writers: 2, editsPerSecondPerWriter: 10, durationMs: 1_000, settleMs: 500 },
    throughput: { documents: 4, clientsPerDocument: 3, editsPerSecondPerDocument: 5, durationMs: 1_000, settleMs: 500 },
  },
  hostile: { clients: 6, writers: 2, editsPerSecondPerWriter: 10, durationMs: 1_500, settleMs: 500 },
  client: { visits: 1, keystrokes: 30, typingParagraphs: 200 },
  historyCost: { txnLimit: 1_000, burstEvery: 200, repetitions: 1 },
  historyReads: { revisions: 20, diffDocumentChars: 5_000, durationMs: 300 },
  search: { documents: 40, stores: ['sqlite'], concurrency: 2, durationMs: 300 },
  scenarioTimeoutMs: 40_000,
};

/** The plan for a mode. */
export function planFor(mode: BenchPlan['mode']): BenchPlan {
  return mode === 'full' ? full : mode === 'quick' ? quick : smoke;
}
