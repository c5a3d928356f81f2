/**
 * Replays a concurrent trace with one client per author: each transaction's update goes out on
 * its author's socket once every ancestor written by another author has come back to that
 * author through the server (the update was produced on a replica holding exactly its
 * ancestors, see trace-dag.ts). An observer replica then has to converge on the trace's final
 * text. The updates are produced before the clock starts, so the timed part is the servers'
 * work and the round trips the trace's own concurrency forces.
 */
import * as Y from 'yjs';
import { DeadlineError, sleep, withDeadline } from '../../lib/deadline.ts';
import { adapterFor } from '../../protocol/adapters.ts';
import { documentText } from '../../traces/document-text.ts';
import { loadConcurrentTrace } from '../../traces/trace-files.ts';
import { SyncClient } from '../sync-client.ts';
import { holdsClocks, produceDagUpdates } from '../trace-dag.ts';
import type { WorkerRequests, WorkerResponses } from '../worker-protocol.ts';

/** Runs the replay; resolves with timing and whether the observer converged. */
export async function replayConcurrentTrace(args: WorkerRequests['concurrentReplay']): Promise<WorkerResponses['concurrentReplay']> {
  const trace = loadConcurrentTrace(args.traceFile);
  const dag = produceDagUpdates(trace);
  if (dag.text !== trace.endContent) throw new Error('local replay of the trace DAG does not reproduce endContent');
  const adapter = adapterFor(args.server.dialect);
  const connection = { baseUrl: args.server.baseUrl, documentId: args.documentId, token: args.server.token, adapter };
  const authors = dag.clientIds.map(() => {
    // Highest clock per Yjs client id that the server passed on to this author.
    const delivered = new Map<number, number>();
    const client = new SyncClient({
      ...connection,
      onRemoteUpdate: (update) => {
        for (const [clientId, clock] of Y.parseUpdateMeta(update).to) {
          if (clock > (delivered.get(clientId) ?? 0)) delivered.set(clientId, clock);
        }
      },
    });
    return { client, delivered };
  });
  const observerDoc = new Y.Doc();
  const observer = new SyncClient({ ...connection, doc: observerDoc });
  const deadline = performance.now() + args.timeoutMs;
  const waitDelivered = async (author: (typeof authors)[number], clientId: number, clock: number, what: string) => {
    while ((author.delivered.get(clientId) ?? 0) < clock) {
      if (!author.client.isOpen) throw new Error(`${what}: author socket closed (${author.client.closeCode})`);
      if (performance.now() > deadline) throw new DeadlineError(`replay stalled waiting for ${what}`);
      await sleep(0);
    }
  };
  try {
    await withDeadline(Promise.all([...authors.map((author) => author.client.synced), observer.synced]), args.timeoutMs, 'replay clients sync');
    // Every author's first edit builds on the seed paragraph: as with any ancestor, it must have
    // come through the server first (a server may rightly refuse edits whose dependencies it lacks).
    authors[0]?.client.sendUpdate(dag.seedUpdate);
    const seedClock = dag.finalClocks.get(dag.seedClientId) ?? 0;
    for (const author of authors.slice(1)) await waitDelivered(author, dag.seedClientId, seedClock, 'the seed paragraph');

    const started = performance.now();
    let waitsForPeer = 0;
    for (const [index, step] of dag.steps.entries()) {
      const author = authors[step.agent];
      if (!author) throw new Error(`transaction ${index} names an unknown author`);
      for (const [clientId, clock] of step.waitsFor) {
        if ((author.delivered.get(clientId) ?? 0) >= clock) continue;
        waitsForPeer++;
        await waitDelivered(author, clientId, clock, `the ancestors of transaction ${index}`);
      }
      author.client.sendUpdate(step.update);
    }
    // Done when the observer holds the text, or holds every update (its text can change no more).
    while (documentText(observerDoc) !== trace.endContent && !holdsClocks(observerDoc, dag.finalClocks) && performance.now() < deadline) await sleep(5);
    const elapsedMs = performance.now() - started;
    const observerText = documentText(observerDoc);
    return {
      elapsedMs,
      txns: dag.steps.length,
      waitsForPeer,
      converged: observerText === trace.endContent,
      observerComplete: holdsClocks(observerDoc, dag.finalClocks),
      observerTextLength: observerText.length,
      firstDifference: firstDifference(observerText, trace.endContent),
    };
  } finally {
    for (const author of authors) author.client.close();
    observer.close();
    observerDoc.destroy();
  }
}

/** The first offset where two texts differ, or null when they are equal. */
function firstDifference(a: string, b: string): number | null {
  if (a === b) return null;
  let offset = 0;
  while (offset < a.length && offset < b.length && a[offset] === b[offset]) offset++;
  return offset;
}
