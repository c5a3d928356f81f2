/**
 * Worker operations for trace replay: a writer that sends a real keystroke history one Yjs
 * update per transaction, an observer that reports when it holds the expected text, and a
 * fresh client timing a cold load.
 */
import * as Y from 'yjs';
import { DOCUMENT_FRAGMENT } from '../../../shared/protocol.ts';
import { DeadlineError, sleep, withDeadline } from '../../lib/deadline.ts';
import { adapterFor } from '../../protocol/adapters.ts';
import { appendParagraph, applyPatchesToYText, documentText } from '../../traces/document-text.ts';
import { expectedTextAfter, type ConcurrentTrace, type SequentialTrace } from '../../traces/trace-files.ts';
import { loadAnyTrace } from '../trace-catalog.ts';
import { produceDagUpdates } from '../trace-dag.ts';
import { SyncClient } from '../sync-client.ts';
import type { ServerAddress, WorkerRequests, WorkerResponses } from '../worker-protocol.ts';

// Pause sending while this much is queued in the socket, so the writer never buffers the whole trace.
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

let preparedUpdates: Uint8Array[] = [];
let writer: SyncClient | null = null;
let observer: { client: SyncClient; matched: Promise<boolean>; received: () => number; doc: Y.Doc } | null = null;

/**
 * Produces the updates the writer will send, one per transaction, and measures the in-process
 * floor. A single-author trace is typed into one local Y.Doc (the floor is that typing). A
 * multi-author trace is produced along its DAG (trace-dag.ts) and sent in index order by the one
 * writer; its floor is applying those same updates to one fresh Y.Doc, one per transaction.
 */
export function prepareTrace(args: WorkerRequests['tracePrepare']): WorkerResponses['tracePrepare'] {
  const trace = loadAnyTrace(args.traceFile);
  const prepared = trace.kind === 'concurrent' ? prepareDagTrace(trace, args.txnLimit) : prepareTypedTrace(trace, args.txnLimit);
  preparedUpdates = prepared.updates;
  const { updates, ...rest } = prepared;
  return { ...rest, updates: updates.length, bytes: updates.reduce((sum, update) => sum + update.length, 0) };
}

type Prepared = Omit<WorkerResponses['tracePrepare'], 'updates' | 'bytes'> & { updates: Uint8Array[] };

function prepareTypedTrace(trace: SequentialTrace, txnLimit: number): Prepared {
  const txns = trace.txns.slice(0, txnLimit);
  const started = performance.now();
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const text = appendParagraph(doc);
  if (trace.startContent) text.insert(0, trace.startContent);
  for (const txn of txns) applyPatchesToYText(text, txn.patches);
  const prepareMs = performance.now() - started;
  const expectedText = expectedTextAfter(trace, txns.length);
  if (documentText(doc) !== expectedText) throw new Error('local replay does not reproduce the trace text');
  doc.destroy();
  return { prepareMs, updates, expectedText, authors: 1 };
}

function prepareDagTrace(trace: ConcurrentTrace, txnLimit: number): Prepared {
  const dag = produceDagUpdates(trace, txnLimit);
  if (txnLimit >= trace.txns.length && dag.text !== trace.endContent) throw new Error('local replay of the trace DAG does not reproduce endContent');
  const updates = [dag.seedUpdate, ...dag.steps.map((step) => step.update)];
  const started = performance.now();
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  const prepareMs = performance.now() - started;
  if (documentText(doc) !== dag.text) throw new Error('applying the DAG updates in index order does not reproduce the trace text');
  doc.destroy();
  return { prepareMs, updates, expectedText: dag.text, authors: trace.numAgents };
}

/** Connects the writer as a light client: its history goes out only when `traceSend` runs. */
export async function connectWriter(args: WorkerRequests['traceConnectWriter']): Promise<WorkerResponses['traceConnectWriter']> {
  writer = connect(args.server, args.documentId);
  const begun = performance.now();
  await withDeadline(writer.synced, args.timeoutMs, 'trace writer sync');
  return { syncMs: writer.syncedAt - begun };
}

/**
 * Sends every prepared update in order, as fast as the socket drains; with `pause`, stops for
 * `pause.ms` after every `pause.every` updates once the server has handled them (a typist's
 * break, which the server sees as `pause.ms` without edits even when it had fallen behind).
 */
export async function sendTrace(args: WorkerRequests['traceSend']): Promise<WorkerResponses['traceSend']> {
  const client = writer;
  if (!client) throw new Error('traceConnectWriter must run first');
  const started = performance.now();
  let pauses = 0;
  for (const [index, update] of preparedUpdates.entries()) {
    while (client.bufferedAmount > MAX_BUFFERED_BYTES) {
      if (performance.now() - started > args.timeoutMs) throw new DeadlineError('trace send: socket did not drain');
      if (!client.isOpen) throw new Error(`trace writer socket closed (${client.closeCode})`);
      await sleep(1);
    }
    client.sendUpdate(update);
    if (args.pause && (index + 1) % args.pause.every === 0 && index + 1 < preparedUpdates.length) {
      await withDeadline(client.roundTrip(), args.timeoutMs, 'trace send: server answer before a pause');
      await sleep(args.pause.ms);
      pauses++;
    }
  }
  return { sendMs: performance.now() - started, pauses };
}

/** Connects an observer replica that resolves once it holds exactly `expectedText`. */
export async function connectObserver(args: WorkerRequests['observerConnect']): Promise<WorkerResponses['observerConnect']> {
  const doc = new Y.Doc();
  let received = 0;
  let resolveMatched: (matched: boolean) => void = () => {};
  const matched = new Promise<boolean>((resolve) => (resolveMatched = resolve));
  const check = () => {
    // Length first: it is O(1) in Yjs, while reading the whole text is O(n).
    if (firstParagraphLength(doc) === args.expectedText.length && documentText(doc) === args.expectedText) resolveMatched(true);
  };
  const client = new SyncClient({
    ...clientOptions(args.server, args.documentId),
    doc,
    onRemoteUpdate: () => {
      received++;
      check();
    },
  });
  const begun = performance.now();
  await withDeadline(client.synced, args.timeoutMs, 'observer sync');
  observer = { client, matched, received: () => received, doc };
  return { syncMs: client.syncedAt - begun };
}

/** Waits until the observer holds the expected text (or the time runs out). */
export async function waitForObserver(args: WorkerRequests['observerWait']): Promise<WorkerResponses['observerWait']> {
  const current = observer;
  if (!current) throw new Error('observerConnect must run first');
  const matched = await withDeadline(current.matched, args.timeoutMs, 'observer text').catch(() => false);
  return { matched, textLength: documentText(current.doc).length, updatesReceived: current.received() };
}

/** Opens a fresh replica and times how long until it holds the expected text. */
export async function coldLoad(args: WorkerRequests['coldLoad']): Promise<WorkerResponses['coldLoad']> {
  const doc = new Y.Doc();
  const begun = performance.now();
  let matchedAt = 0;
  const client = new SyncClient({
    ...clientOptions(args.server, args.documentId),
    doc,
    onRemoteUpdate: (_update, at) => {
      if (!matchedAt && documentText(doc) === args.expectedText) matchedAt = at;
    },
  });
  try {
    await withDeadline(client.synced, args.timeoutMs, 'cold load sync');
    const end = performance.now() + args.timeoutMs;
    while (!matchedAt && performance.now() < end) await sleep(5);
    return { matched: matchedAt > 0, openToTextMs: matchedAt - begun, syncMs: client.syncedAt - begun, textLength: documentText(doc).length };
  } finally {
    if (args.keepOpen) {
      heldOpen.push({ client, doc });
    } else {
      client.close();
      doc.destroy();
    }
  }
}

/** Cold-load clients kept connected so their document stays open on the server (see `closeTraceClients`). */
const heldOpen: { client: SyncClient; doc: Y.Doc }[] = [];

/** Closes the writer and observer of a replay. */
export function closeTraceClients(): void {
  for (const { client, doc } of heldOpen.splice(0)) {
    client.close();
    doc.destroy();
  }
  writer?.close();
  observer?.client.close();
  observer?.doc.destroy();
  writer = null;
  observer = null;
  preparedUpdates = [];
}

function firstParagraphLength(doc: Y.Doc): number {
  const paragraph = doc.getXmlFragment(DOCUMENT_FRAGMENT).get(0);
  const text = paragraph instanceof Y.XmlElement ? paragraph.get(0) : null;
  return text instanceof Y.XmlText ? text.length : -1;
}

function clientOptions(server: ServerAddress, documentId: string) {
  return { baseUrl: server.baseUrl, documentId, token: server.token, adapter: adapterFor(server.dialect) };
}

function connect(server: ServerAddress, documentId: string): SyncClient {
  return new SyncClient(clientOptions(server, documentId));
}
