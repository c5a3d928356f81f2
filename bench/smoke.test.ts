/**
 * Smoke test of the benchmark suite: tiny fan-out and trace-replay runs against Quire and the
 * y-websocket reference server, so the harness cannot rot. It asserts outcomes (every edit
 * reached every peer, replicas converged, the observer holds the trace's exact text), never timings.
 */
import { afterAll, describe, expect, test } from 'bun:test';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { killAllChildren } from './lib/process-registry.ts';
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
        scenarioTimeoutMs: 25_000,
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

      const replays = rowsOf('trace');
      expect(replays.length).toBe(servers.length);
      for (const row of replays) {
        expect(row.error).toBeUndefined();
        // The observer's text equals the trace prefix's expected text exactly.
        expect(row.metrics.observerMatchedEndContent).toBe(true);
        expect(row.metrics.updates).toBe(planFor('smoke').trace.txnLimit + 1);
      }
    },
    60_000,
  );
});
