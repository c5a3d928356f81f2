/**
 * Replays a concurrent trace with one client per author, merging along the trace's DAG: before
 * an author applies a transaction, its replica must hold exactly that transaction's ancestors,
 * and any ancestor written by another author must first have arrived through the server. An
 * observer replica then has to converge on the trace's final text.
 *
 * Each transaction also bumps a per-author key in a side map ("replay"), so that every update,
 * even a pure deletion, advances its author's Yjs clock and its arrival can be recognised.
 */
import * as Y from 'yjs';
import { DeadlineError, sleep, withDeadline } from '../../lib/deadline.ts';
import { adapterFor } from '../../protocol/adapters.ts';
import { appendParagraph, applyPatchesToYText, documentText } from '../../traces/document-text.ts';
import { loadConcurrentTrace } from '../../traces/trace-files.ts';
import { SyncClient } from '../sync-client.ts';
import type { WorkerRequests, WorkerResponses } from '../worker-protocol.ts';

interface Author {
  replica: Y.Doc;
  text: Y.XmlText;
  client: SyncClient;
  /** Transactions merged into this replica (always closed under ancestry). */
  known: Set<number>;
  /** Highest clock seen per remote Yjs client id on this author's connection. */
  delivered: Map<number, number>;
}

/** Runs the replay; resolves with timing and whether everybody converged. */
export async function replayConcurrentTrace(args: WorkerRequests['concurrentReplay']): Promise<WorkerResponses['concurrentReplay']> {
  const trace = loadConcurrentTrace(args.traceFile);
  const adapter = adapterFor(args.server.dialect);
  const connection = { baseUrl: args.server.baseUrl, documentId: args.documentId, token: args.server.token, adapter };
  const seed = new Y.Doc();
  appendParagraph(seed);
  const seedUpdate = Y.encodeStateAsUpdate(seed);
  const authors: Author[] = [];
  const clientIdBase = 1 + Math.floor(Math.random() * 2 ** 30);
  for (let agent = 0; agent < trace.numAgents; agent++) {
    const replica = new Y.Doc();
    // Yjs orders concurrent insertions at one position by client id; the trace's endContent puts
    // the lower agent's first, so the agents' ids must ascend with their numbers. With random
    // ids, about half the runs of every server "failed to converge" on a different (but
    // consistent) interleaving.
    replica.clientID = clientIdBase + agent;
    Y.applyUpdate(replica, seedUpdate);
    const paragraph = replica.getXmlFragment('default').get(0) as Y.XmlElement;
    const delivered = new Map<number, number>();
    const client = new SyncClient({
      ...connection,
      onRemoteUpdate: (update) => {
        for (const [clientId, clock] of Y.parseUpdateMeta(update).to) {
          if (clock > (delivered.get(clientId) ?? 0)) delivered.set(clientId, clock);
        }
      },
    });
    authors.push({ replica, text: paragraph.get(0) as Y.XmlText, client, known: new Set(), delivered });
  }
  const observerDoc = new Y.Doc();
  const observer = new SyncClient({ ...connection, doc: observerDoc });
  const deadline = performance.now() + args.timeoutMs;
  await withDeadline(Promise.all([...authors.map((author) => author.client.synced), observer.synced]), args.timeoutMs, 'replay clients sync');
  authors[0]?.client.sendUpdate(seedUpdate);
  // Every author's first edit builds on the seed paragraph: as with any ancestor, it must have
  // come through the server first (a server may rightly refuse edits whose dependencies it lacks).
  const seedClock = Y.getState(seed.store, seed.clientID);
  for (const author of authors.slice(1)) {
    while ((author.delivered.get(seed.clientID) ?? 0) < seedClock) {
      if (performance.now() > deadline) throw new DeadlineError('replay stalled waiting for the seed paragraph');
      await sleep(0);
    }
  }

  const started = performance.now();
  const updates: Uint8Array[] = new Array(trace.txns.length);
  const clockAfter: number[] = new Array(trace.txns.length);
  const authorOf: number[] = trace.txns.map((txn) => txn.agent);
  let waitsForPeer = 0;
  for (let index = 0; index < trace.txns.length; index++) {
    const txn = trace.txns[index];
    const author = txn ? authors[txn.agent] : undefined;
    if (!txn || !author) throw new Error(`transaction ${index} names an unknown author`);
    for (const ancestor of missingAncestors(trace.txns, txn.parents, author.known)) {
      const from = authors[authorOf[ancestor] ?? -1];
      if (from && from !== author) {
        const clientId = from.replica.clientID;
        const needed = clockAfter[ancestor] ?? 0;
        if ((author.delivered.get(clientId) ?? 0) < needed) {
          waitsForPeer++;
          while ((author.delivered.get(clientId) ?? 0) < needed) {
            if (performance.now() > deadline) throw new DeadlineError(`replay stalled waiting for transaction ${ancestor}`);
            await sleep(0);
          }
        }
      }
      const update = updates[ancestor];
      if (update) Y.applyUpdate(author.replica, update);
      author.known.add(ancestor);
    }
    let produced: Uint8Array | null = null;
    const capture = (update: Uint8Array) => (produced = update);
    author.replica.on('update', capture);
    author.replica.transact(() => {
      applyPatchesToYText(author.text, txn.patches);
      author.replica.getMap('replay').set(`agent${txn.agent}`, index);
    });
    author.replica.off('update', capture);
    if (!produced) throw new Error(`transaction ${index} produced no update`);
    updates[index] = produced;
    clockAfter[index] = Y.getState(author.replica.store, author.replica.clientID);
    author.known.add(index);
    author.client.sendUpdate(produced);
  }
  const end = trace.endContent;
  while (documentText(observerDoc) !== end && performance.now() < deadline) await sleep(5);
  const elapsedMs = performance.now() - started;
  const observerText = documentText(observerDoc);
  for (const author of authors) for (const update of updates) Y.applyUpdate(author.replica, update);
  const replicaTexts = authors.map((author) => documentText(author.replica));
  for (const author of authors) author.client.close();
  observer.close();
  const converged = observerText === end && replicaTexts.every((text) => text === end);
  return { elapsedMs, txns: trace.txns.length, waitsForPeer, converged, observerText, replicaTexts };
}

/** Ancestors of `parents` not yet in `known`, oldest first (indices are topologically ordered). */
function missingAncestors(txns: readonly { parents: number[] }[], parents: readonly number[], known: ReadonlySet<number>): number[] {
  const found = new Set<number>();
  const stack = parents.filter((parent) => !known.has(parent));
  while (stack.length > 0) {
    const next = stack.pop();
    if (next === undefined || found.has(next)) continue;
    found.add(next);
    for (const parent of txns[next]?.parents ?? []) if (!known.has(parent) && !found.has(parent)) stack.push(parent);
  }
  return [...found].sort((a, b) => a - b);
}
