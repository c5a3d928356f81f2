/**
 * Smoke test of the benchmark suite: tiny fan-out and trace-replay runs against Quire and the
 * y-websocket reference server, a tiny cluster run (1 and 2 Quire instances on PostgreSQL and
 * Redis), and tiny history and search runs on Quire, so the harness cannot rot. It asserts
 * outcomes (every edit reached every peer once, replicas converged, the observer holds the
 * trace's exact text, every burst left a revision), never timings.
 */
import { afterAll, describe, expect, test } from 'bun:test';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { killAllChildren } from './lib/process-registry.ts';
import { suiteTraces } from './loadgen/trace-catalog.ts';
import { planFor } from './plan.ts';
import { runScenarios } from './runner.ts';
import type { ResultRow } from './scenarios/types.ts';
import { REPO_ROOT, type TargetName } from './servers/targets.ts';

const quireAvailable = existsSync(path.join(REPO_ROOT, 'server', 'main.ts'));
const servers: TargetName[] = quireAvailable ? ['quire', 'y-websocket'] : ['y-websocket'];

afterAll(() => killAllChildren());

describe('benchmark smoke run', () => {
  test(
    `fan-out and trace replay complete on ${servers.join(' and ')}`,
    async () => {
      const results = await runScenarios({
        plan: planFor('smoke'),
        scenarios: ['fanout', 'trace'],
        servers,
        // The trace scenario starts a server per trace and server: eight on a busy 2-core machine.
        scenarioTimeoutMs: 45_000,
        log: () => {},
      });
      const rowsOf = (id: string): ResultRow[] => results.find((result) => result.id === id)?.rows ?? [];

      const fanout = rowsOf('fanout');
      expect(fanout.map((row) => row.server).sort()).toEqual([...servers].sort());
      for (const row of fanout) {
        expect(row.error).toBeUndefined();
        const { clients, editsSent, deliverySamples, editsIncomplete, converged, deliveryP99Ms } = row.metrics;
        expect(editsSent).toBeGreaterThan(0);
        // Every edit was timed at every other client: nothing lost, nobody skipped.
        expect(deliverySamples).toBe((editsSent as number) * ((clients as number) - 1));
        expect(editsIncomplete).toBe(0);
        expect(converged).toBe(true);
        expect(typeof deliveryP99Ms).toBe('number');
      }

      // Every trace the suite carries, on every server (the smoke plan skips concurrent replays).
      const replays = rowsOf('trace');
      const traces = suiteTraces().map((trace) => `${trace.name}, sequential`);
      expect(replays.filter((row) => row.error).map((row) => `${row.server} ${row.case}: ${row.error}`)).toEqual([]);
      expect(replays.map((row) => `${row.server}: ${row.case}`).sort()).toEqual(servers.flatMap((server) => traces.map((name) => `${server}: ${name}`)).sort());
      for (const row of replays) {
        expect(row.error).toBeUndefined();
        // The observer's text equals the trace prefix's expected text exactly.
        expect(row.metrics.observerMatchedEndContent).toBe(true);
        expect(row.metrics.updates).toBe(planFor('smoke').trace.txnLimit + 1);
      }
    },
    100_000,
  );

  test.skipIf(!quireAvailable)(
    'a Quire cluster on PostgreSQL and Redis delivers every edit across instances, once',
    async () => {
      const [cluster] = await runScenarios({ plan: planFor('smoke'), scenarios: ['cluster'], servers: ['quire'], scenarioTimeoutMs: 40_000, log: () => {} });
      const rows = cluster?.rows ?? [];
      expect(rows.map((row) => row.case)).toEqual(['fan-out, 1 instance', 'throughput, 1 instance', 'fan-out, 2 instances', 'throughput, 2 instances']);
      for (const row of rows) {
        expect(row.error).toBeUndefined();
        expect(row.metrics.editsSent).toBeGreaterThan(0);
        expect(row.metrics.editsIncomplete).toBe(0);
        expect(row.metrics.duplicateUpdates).toBe(0);
        expect(row.metrics.converged).toBe(true);
      }
      // With two instances some peers sit on the other one: those edits crossed Redis.
      expect(rows[2]?.metrics.crossInstanceSamples).toBeGreaterThan(0);
    },
    60_000,
  );

  test.skipIf(!quireAvailable)(
    'history and search: revisions off stores none, on stores one per burst; 20 revisions list, a diff marks both ways, search finds a document by its own word',
    async () => {
      const results = await runScenarios({ plan: planFor('smoke'), scenarios: ['history-cost', 'history-reads', 'search'], servers: ['quire'], scenarioTimeoutMs: 40_000, log: () => {} });
      const rowsOf = (id: string): ResultRow[] => results.find((result) => result.id === id)?.rows ?? [];
      for (const row of results.flatMap((result) => result.rows)) expect(row.error).toBeUndefined();

      const [off, on] = ['revisions off', 'revisions on'].map((name) => rowsOf('history-cost').find((row) => row.case === name)?.metrics);
      expect(off?.revisions).toBe(0);
      // The writer's pauses split the replay into bursts (a busy machine may merge a few), and with history on each left a revision.
      expect(on?.editEvents).toBeGreaterThan(1);
      expect(on?.revisions).toBeGreaterThanOrEqual(on?.editEvents as number);
      expect(on?.historyBytes).toBeGreaterThan(0);

      const [list, ...diffs] = rowsOf('history-reads');
      expect(list?.metrics.revisions).toBeGreaterThanOrEqual(planFor('smoke').historyReads.revisions);
      expect(diffs.length).toBe(2);
      for (const row of [list, ...diffs]) expect(row?.metrics.failures).toBe(0);
      expect(diffs[0]?.metrics.insertionsMarked).toBeGreaterThan(0);
      expect(diffs[0]?.metrics.deletionsMarked).toBeGreaterThan(0);

      const search = rowsOf('search');
      // Four kinds of query, each by one searcher and by several at once.
      expect(search.length).toBe(8);
      for (const row of search) expect(row.metrics.failures).toBe(0);
      expect(search.find((row) => row.case.includes("one document's own word"))?.metrics.exampleHits).toBe(1);
    },
    60_000,
  );
});
