/**
 * Messages between the coordinator (bench/run.ts) and load-generator worker processes. A worker
 * keeps its open clients between requests, so a scenario is a sequence of requests: open, type,
 * measure, close.
 */
import type { WireDialect } from '../protocol/adapters.ts';
import type { LatencySamples } from './edit-latency.ts';

/** Where the clients of one request connect. */
export interface ServerAddress {
  baseUrl: string;
  dialect: WireDialect;
  token: string;
}

/** One document's share of clients in a worker. */
export interface DocumentGroup {
  documentId: string;
  clients: number;
  /** How many of `clients` edit (full replicas); the rest observe. */
  writers: number;
}

/** Every request a worker understands, keyed by operation. */
export interface WorkerRequests {
  /**
   * With several servers (instances of one cluster), client k of group g connects to
   * servers[(firstInstance + g + k) % servers.length]: writers come first in a group, so they
   * rotate over the instances, and a group's clients land on consecutive instances.
   */
  open: { servers: ServerAddress[]; firstInstance?: number; groups: DocumentGroup[]; concurrency: number; timeoutMs: number };
  type: { editsPerSecondPerWriter: number; durationMs: number; settleMs: number };
  closeAll: Record<string, never>;
  tracePrepare: { traceFile: string; txnLimit: number };
  traceConnectWriter: { server: ServerAddress; documentId: string; timeoutMs: number };
  /** `pause`: stop for `ms` after every `every` updates (so each run of updates is its own edit burst). */
  traceSend: { timeoutMs: number; pause?: { every: number; ms: number } };
  observerConnect: { server: ServerAddress; documentId: string; expectedText: string; timeoutMs: number };
  observerWait: { timeoutMs: number };
  /** `keepOpen`: the client stays connected (its document open) until `closeAll`. */
  coldLoad: { server: ServerAddress; documentId: string; expectedText: string; timeoutMs: number; keepOpen?: boolean };
  concurrentReplay: { server: ServerAddress; documentId: string; traceFile: string; timeoutMs: number };
  sseSubscribe: { httpUrl: string; token: string; subscribers: number; timeoutMs: number };
  /** Each lane sends GETs to `urls` in turn, starting at a different one. */
  httpLoad: { urls: string[]; token: string; concurrency: number; durationMs: number };
  sseMeasure: { httpUrl: string; token: string; documents: number; intervalMs: number; settleMs: number };
  /** `versions` times: change the document over sync (words into paragraphs, paragraphs deleted), then name it over REST. */
  reviseDocument: { server: ServerAddress; httpUrl: string; documentId: string; versions: number; insertsPerVersion: number; deletesPerVersion: number; timeoutMs: number };
}

/** What each request resolves to. */
export interface WorkerResponses {
  open: { syncMs: number[]; failed: number; firstError: string | null; elapsedMs: number };
  type: LatencySamples & { contentHashes: Record<string, string[]> };
  closeAll: { closed: number };
  /** `prepareMs`: the in-process floor (see `prepareTrace`); `authors`: 1 for a sequential trace. */
  tracePrepare: { prepareMs: number; updates: number; bytes: number; expectedText: string; authors: number };
  traceConnectWriter: { syncMs: number };
  traceSend: { sendMs: number; pauses: number };
  observerConnect: { syncMs: number };
  observerWait: { matched: boolean; textLength: number; updatesReceived: number };
  coldLoad: { matched: boolean; openToTextMs: number; syncMs: number; textLength: number };
  /**
   * `converged`: the observer holds exactly endContent. `observerComplete`: it holds every update
   * the authors sent (if so and not converged, the server merged them into another text).
   */
  concurrentReplay: { elapsedMs: number; txns: number; waitsForPeer: number; converged: boolean; observerComplete: boolean; observerTextLength: number; firstDifference: number | null };
  sseSubscribe: { connected: number; elapsedMs: number };
  httpLoad: { latency: number[]; requests: number; failures: number; elapsedMs: number };
  sseMeasure: { latency: number[]; missing: number; events: number };
  reviseDocument: { revisionId: number; elapsedMs: number };
}

export type WorkerOp = keyof WorkerRequests;

/** A request frame as sent over IPC. */
export interface RequestFrame<Op extends WorkerOp = WorkerOp> {
  id: number;
  op: Op;
  args: WorkerRequests[Op];
}

/** A response frame: the result or the error text. */
export type ResponseFrame = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
