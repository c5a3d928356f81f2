/** The machine-readable record of a run, written as JSON beside the Markdown report. */
import os from 'node:os';
import type { ScenarioResult } from '../scenarios/types.ts';
import { targetByName, type TargetName } from '../servers/targets.ts';
import { TRACE_ATTRIBUTION } from '../traces/trace-files.ts';

/** Everything a run produced plus the context needed to compare runs. */
export interface RunSummary {
  mode: string;
  date: string;
  command: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; platform: string; bun: string; node: string };
  servers: { name: TargetName; label: string }[];
  results: ScenarioResult[];
  attribution: string;
}

/** Builds the summary of a finished (or partly finished) run. */
export function buildRunSummary(mode: string, command: string, servers: TargetName[], results: ScenarioResult[], nodeVersion: string): RunSummary {
  return {
    mode,
    date: new Date().toISOString(),
    command,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
      platform: `${os.platform()} ${os.release()}`,
      bun: Bun.version,
      node: nodeVersion,
    },
    servers: servers.map((name) => ({ name, label: targetByName(name).label })),
    results,
    attribution: TRACE_ATTRIBUTION,
  };
}
