/**
 * Runs a list of scenarios against a list of servers, each within its time bound. A scenario
 * that fails or overruns is recorded as such, its servers and clients are stopped, and the run
 * goes on with the next one.
 */
import { capacityScenario } from './scenarios/capacity.ts';
import { clusterScenario } from './scenarios/cluster.ts';
import { coldLoadScenario } from './scenarios/cold-load.ts';
import { fanoutScenario } from './scenarios/fanout.ts';
import { firstVisitEditableScenario, firstVisitJsScenario } from './scenarios/first-visit.ts';
import { historyCostScenario } from './scenarios/history-cost.ts';
import { historyReadsScenario } from './scenarios/history-reads.ts';
import { hostileScenario } from './scenarios/hostile.ts';
import { manyDocsScenario } from './scenarios/many-docs.ts';
import { restSseScenario } from './scenarios/rest-sse.ts';
import { searchScenario } from './scenarios/search.ts';
import { traceScenario } from './scenarios/trace.ts';
import { typingScenario } from './scenarios/typing.ts';
import type { Scenario, ScenarioContext, ScenarioId, ScenarioResult } from './scenarios/types.ts';
import { withDeadline } from './lib/deadline.ts';
import { WorkerPool } from './loadgen/worker-pool.ts';
import type { BenchPlan } from './plan.ts';
import type { RunningServer } from './servers/launcher.ts';
import type { TargetName } from './servers/targets.ts';

const SCENARIOS: Record<ScenarioId, Scenario> = {
  fanout: fanoutScenario,
  'many-docs': manyDocsScenario,
  capacity: capacityScenario,
  trace: traceScenario,
  'cold-load': coldLoadScenario,
  'rest-sse': restSseScenario,
  cluster: clusterScenario,
  hostile: hostileScenario,
  'history-cost': historyCostScenario,
  'history-reads': historyReadsScenario,
  search: searchScenario,
  'first-visit-js': firstVisitJsScenario,
  'first-visit-editable': firstVisitEditableScenario,
  typing: typingScenario,
};

/** What to run. */
export interface RunRequest {
  plan: BenchPlan;
  scenarios: ScenarioId[];
  servers: TargetName[];
  scenarioTimeoutMs: number;
  log(message: string): void;
}

/** Where a scenario runs: cold load needs storage, so in-memory Hocuspocus gives way to its SQLite variant. */
function serversFor(id: ScenarioId, servers: TargetName[]): TargetName[] {
  if (id !== 'cold-load' && id !== 'trace') return servers;
  return [...new Set(servers.map((name) => (name === 'hocuspocus' ? 'hocuspocus-sqlite' : name)))];
}

/** A scenario's time bound: the fan-out, which measures every server several times over, gets one per round. */
function boundOf(id: ScenarioId, request: RunRequest): number {
  return request.scenarioTimeoutMs * (id === 'fanout' ? request.plan.fanout.rounds : 1);
}

/** Runs every requested scenario in order and returns their results. */
export async function runScenarios(request: RunRequest): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const id of request.scenarios) {
    const pool = new WorkerPool(request.plan.workers);
    const live = new Set<RunningServer>();
    const abort = new AbortController();
    const context: ScenarioContext = { plan: request.plan, pool, servers: serversFor(id, request.servers), live, signal: abort.signal, log: request.log };
    const started = performance.now();
    request.log(`scenario ${id}`);
    try {
      const result = await withDeadline(SCENARIOS[id](context), boundOf(id, request), `scenario ${id}`);
      results.push({ ...result, durationMs: performance.now() - started });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      request.log(`scenario ${id} failed: ${message}`);
      results.push({ id, title: id, rows: [], compareMetrics: [], notes: [`Failed: ${message}`], durationMs: performance.now() - started });
    } finally {
      // A timed-out scenario may still hold servers and clients: stop them before the next one.
      abort.abort();
      pool.kill();
      await Promise.all([...live].map((server) => server.stop()));
    }
  }
  return results;
}
