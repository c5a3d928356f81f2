/** What every scenario receives and returns, so the runner and the reports treat them alike. */
import type { WorkerPool } from '../loadgen/worker-pool.ts';
import type { BenchPlan } from '../plan.ts';
import type { RunningServer } from '../servers/launcher.ts';
import type { TargetName } from '../servers/targets.ts';

/** A figure in a result row; null when not applicable or not measured. */
export type Metric = number | string | boolean | null;

/** One measured configuration of one server, e.g. fan-out with N = 200 on Hocuspocus. */
export interface ResultRow {
  server: TargetName;
  /** The configuration within the scenario (rows with the same case are compared). */
  case: string;
  metrics: Record<string, Metric>;
  /** Set when the run failed or timed out; metrics may then be partial. */
  error?: string;
}

/** The outcome of one scenario across servers. */
export interface ScenarioResult {
  id: ScenarioId;
  title: string;
  rows: ResultRow[];
  /** Metrics (lower is better) for which Quire's ratio to every peer is reported. */
  compareMetrics: string[];
  /** Within one server, cases compared to a baseline case (e.g. 3 instances vs 1): metrics and case pairs. */
  baseline?: { metrics: string[]; cases: Record<string, string> };
  notes: string[];
  durationMs: number;
}

export const SCENARIO_IDS = ['fanout', 'many-docs', 'capacity', 'trace', 'cold-load', 'rest-sse', 'cluster', 'hostile', 'history-cost', 'history-reads', 'search', 'first-visit-js', 'first-visit-editable', 'typing'] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];

/** Shared state of a run, handed to each scenario. */
export interface ScenarioContext {
  plan: BenchPlan;
  pool: WorkerPool;
  servers: TargetName[];
  /** Servers currently running, so a timed-out scenario can still stop them. */
  live: Set<RunningServer>;
  /** Aborted when the scenario's time bound runs out, so it starts no further servers. */
  signal: AbortSignal;
  log(message: string): void;
}

/** A scenario's entry point. */
export type Scenario = (context: ScenarioContext) => Promise<Omit<ScenarioResult, 'durationMs'>>;
