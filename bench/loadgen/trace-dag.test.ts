import { describe, expect, test } from 'bun:test';
import * as Y from 'yjs';
import { documentText } from '../traces/document-text.ts';
import { loadConcurrentTrace, traceFile } from '../traces/trace-files.ts';
import { holdsClocks, produceDagUpdates } from './trace-dag.ts';

const trace = loadConcurrentTrace(traceFile('friendsforever'));

describe('a concurrent trace as updates', () => {
  test('merging every author\'s updates gives the trace\'s endContent', () => {
    const dag = produceDagUpdates(trace);
    expect(dag.steps.length).toBe(trace.txns.length);
    expect(dag.text).toBe(trace.endContent);
    // The authors' Yjs ids ascend with their numbers: Yjs puts the lower id first at a tie.
    expect(dag.clientIds).toEqual([...dag.clientIds].sort((a, b) => a - b));
  }, 30_000);

  test('a server that gets each update only once its waits are met never holds an update it cannot apply, whatever the interleaving', () => {
    const dag = produceDagUpdates(trace, 4_000);
    let seed = 17;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const server = new Y.Doc();
    Y.applyUpdate(server, dag.seedUpdate);
    const queues = dag.clientIds.map((_, agent) => dag.steps.filter((step) => step.agent === agent));
    const ready = (agent: number) => {
      const head = queues[agent]?.[0];
      return head !== undefined && head.waitsFor.every(([clientId, clock]) => Y.getState(server.store, clientId) >= clock);
    };
    while (queues.some((queue) => queue.length > 0)) {
      const candidates = queues.flatMap((_, agent) => (ready(agent) ? [agent] : []));
      expect(candidates.length).toBeGreaterThan(0);
      const agent = candidates[Math.floor(random() * candidates.length)] ?? 0;
      const step = queues[agent]?.shift();
      if (step) Y.applyUpdate(server, step.update);
      expect(server.store.pendingStructs).toBeNull();
    }
    expect(holdsClocks(server, dag.finalClocks)).toBe(true);
    expect(documentText(server)).toBe(dag.text);
  }, 30_000);

  test('a replica missing an update does not hold the final clocks', () => {
    const dag = produceDagUpdates(trace, 100);
    const replica = new Y.Doc();
    Y.applyUpdate(replica, dag.seedUpdate);
    for (const step of dag.steps.slice(0, -1)) Y.applyUpdate(replica, step.update);
    expect(holdsClocks(replica, dag.finalClocks)).toBe(false);
  });
});
