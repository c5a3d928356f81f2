/** Helpers every scenario uses to run a block of work against one freshly started server. */
import type { ServerAddress } from '../loadgen/worker-protocol.ts';
import { resourceUseBetween, type ProcessSample, type ResourceUse } from '../lib/proc-stats.ts';
import { launchServer, removeDataDir, type LaunchOptions, type RunningServer } from '../servers/launcher.ts';
import { targetByName, type TargetName } from '../servers/targets.ts';
import type { ResultRow, ScenarioContext } from './types.ts';

/** The address load-generator clients use to reach `server`. */
export function addressOf(server: RunningServer): ServerAddress {
  return { baseUrl: server.syncBaseUrl, dialect: server.target.dialect, token: server.token };
}

/** Starts `name`, runs `work`, and always closes the clients and stops the server afterwards. */
export async function withServer<T>(
  context: ScenarioContext,
  name: TargetName,
  work: (server: RunningServer) => Promise<T>,
  options: LaunchOptions & { keepData?: boolean } = {},
): Promise<T> {
  context.signal.throwIfAborted();
  const server = await launchServer(targetByName(name), options);
  context.live.add(server);
  try {
    return await work(server);
  } finally {
    await context.pool.closeAll();
    await server.stop();
    context.live.delete(server);
    if (!options.keepData) removeDataDir(server);
  }
}

/** Runs `measure` for each server, turning a failure into an error row instead of ending the scenario. */
export async function forEachServer(
  context: ScenarioContext,
  servers: readonly TargetName[],
  measure: (name: TargetName) => Promise<ResultRow[]>,
): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  for (const name of servers) {
    if (context.signal.aborted) break;
    context.log(`  ${name}`);
    try {
      rows.push(...(await measure(name)));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      context.log(`  ${name} failed: ${message.split('\n')[0]}`);
      rows.push({ server: name, case: 'all', metrics: {}, error: message.split('\n').slice(0, 3).join(' ') });
      await context.pool.closeAll();
    }
  }
  return rows;
}

/** Measures the server's CPU and memory around `work`. */
export async function measured<T>(server: RunningServer, work: () => Promise<T>): Promise<{ result: T; use: ResourceUse; start: ProcessSample; end: ProcessSample }> {
  const start = server.sample();
  const result = await work();
  const end = server.sample();
  return { result, use: resourceUseBetween(start, end), start, end };
}

/** Splits `total` into `parts` near-equal integers (the first ones get the remainder). */
export function split(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, index) => Math.floor(total / parts) + (index < total % parts ? 1 : 0));
}

/** Bytes to MiB with one decimal. */
export const mib = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;
