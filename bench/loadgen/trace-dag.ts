/**
 * A concurrent (multi-author) trace turned into the Yjs updates its authors would send. Each
 * author has its own replica; before it applies a transaction, the replica is brought to exactly
 * that transaction's ancestors, since the trace's positions are relative to that state. The
 * result is one update per transaction plus, per transaction, what it waits for from the other
 * authors: the Yjs clock of each of their replicas that its ancestors reach.
 *
 * Producing the updates ahead of the replay keeps the load generator's own Yjs work out of the
 * timed part, and gives the sequential and the concurrent replay of one trace the same updates.
 */
import * as Y from 'yjs';
import { appendParagraph, applyPatchesToYText, documentText } from '../traces/document-text.ts';
import type { ConcurrentTrace } from '../traces/trace-files.ts';

/** One transaction ready to send: its author, its update, and the clocks it must see delivered first. */
export interface DagStep {
  agent: number;
  update: Uint8Array;
  /** [Yjs client id, clock]: the server must have passed on that author's updates up to `clock` first. */
  waitsFor: [clientId: number, clock: number][];
}

/** A concurrent trace as updates. `seedUpdate` (the paragraph every author types into) goes first. */
export interface DagUpdates {
  seedUpdate: Uint8Array;
  seedClientId: number;
  /** The Yjs client id of each author (ascending with the author's number, see below). */
  clientIds: number[];
  steps: DagStep[];
  /** The text once every update is merged. */
  text: string;
  /** Final clock per Yjs client id (seed and authors): a replica at these clocks holds everything. */
  finalClocks: Map<number, number>;
}

/**
 * Produces the updates of the first `txnLimit` transactions (a prefix in index order is closed
 * under ancestry, since parents always come first). Each transaction also bumps its author's key
 * in a side map ("replay"), so every update, even a pure deletion, advances its author's clock
 * and its arrival can be recognised by clock alone.
 */
export function produceDagUpdates(trace: ConcurrentTrace, txnLimit = Infinity): DagUpdates {
  const txns = trace.txns.slice(0, txnLimit);
  const seed = new Y.Doc();
  appendParagraph(seed);
  const seedUpdate = Y.encodeStateAsUpdate(seed);
  // Yjs orders concurrent insertions at one position by client id, and the trace's endContent
  // puts the lower agent's first: the ids must ascend with the agents' numbers. With random ids
  // about half the runs "failed to converge" on a different, consistent interleaving.
  const clientIdBase = 1 + Math.floor(Math.random() * 2 ** 30);
  const replicas = Array.from({ length: trace.numAgents }, (_, agent) => {
    const doc = new Y.Doc();
    doc.clientID = clientIdBase + agent;
    Y.applyUpdate(doc, seedUpdate);
    const paragraph = doc.getXmlFragment('default').get(0) as Y.XmlElement;
    return { doc, text: paragraph.get(0) as Y.XmlText, known: new Set<number>() };
  });
  const steps: DagStep[] = [];
  const clockAfter: number[] = [];
  for (const [index, txn] of txns.entries()) {
    const replica = replicas[txn.agent];
    if (!replica) throw new Error(`transaction ${index} names an unknown author ${txn.agent}`);
    const waits = new Map<number, number>();
    for (const ancestor of missingAncestors(txns, txn.parents, replica.known)) {
      const from = txns[ancestor]?.agent;
      const step = steps[ancestor];
      if (from === undefined || !step) throw new Error(`transaction ${index} has an unknown parent ${ancestor}`);
      if (from !== txn.agent) {
        const clientId = clientIdBase + from;
        waits.set(clientId, Math.max(waits.get(clientId) ?? 0, clockAfter[ancestor] ?? 0));
      }
      Y.applyUpdate(replica.doc, step.update);
      replica.known.add(ancestor);
    }
    let produced: Uint8Array | null = null;
    const capture = (update: Uint8Array) => (produced = update);
    replica.doc.on('update', capture);
    replica.doc.transact(() => {
      applyPatchesToYText(replica.text, txn.patches);
      replica.doc.getMap('replay').set(`agent${txn.agent}`, index);
    });
    replica.doc.off('update', capture);
    if (!produced) throw new Error(`transaction ${index} produced no update`);
    steps.push({ agent: txn.agent, update: produced, waitsFor: [...waits] });
    clockAfter.push(Y.getState(replica.doc.store, replica.doc.clientID));
    replica.known.add(index);
  }
  const merged = new Y.Doc();
  Y.applyUpdate(merged, seedUpdate);
  for (const step of steps) Y.applyUpdate(merged, step.update);
  const finalClocks = new Map<number, number>([[seed.clientID, Y.getState(seed.store, seed.clientID)]]);
  for (const { doc } of replicas) finalClocks.set(doc.clientID, Y.getState(doc.store, doc.clientID));
  const result = {
    seedUpdate,
    seedClientId: seed.clientID,
    clientIds: replicas.map(({ doc }) => doc.clientID),
    steps,
    text: documentText(merged),
    finalClocks,
  };
  for (const doc of [seed, merged, ...replicas.map((replica) => replica.doc)]) doc.destroy();
  return result;
}

/** Whether `doc` holds every update up to `clocks` (then its text can no longer change). */
export function holdsClocks(doc: Y.Doc, clocks: ReadonlyMap<number, number>): boolean {
  for (const [clientId, clock] of clocks) if (Y.getState(doc.store, clientId) < clock) return false;
  return true;
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
