/** Helpers every scenario uses to run a block of work against one freshly started server. */
import type { ServerAddress, WorkerResponses } from '../loadgen/worker-protocol.ts';
import { resourceUseBetween, type ProcessSample, type ResourceUse } from '../lib/proc-stats.ts';
import { mergeSamples, summarize } from '../lib/stats.ts';
import { launchServer, removeDataDir, type LaunchOptions, type RunningServer } from '../servers/launcher.ts';
import { targetByName, type TargetName } from '../servers/targets.ts';
import type { ResultRow, ScenarioContext } from './types.ts';

/** The address load-generator clients use to reach `server`. */
export function addressOf(server: RunningServer): ServerAddress {
  return { baseUrl: server.syncBaseUrl, dialect: server.target.dialect, token: server.token };
}

/** Starts `name`, runs `work`, and always closes the clients and stops the server afterwards. */
export function withServer<T>(
  context: ScenarioContext,
  name: TargetName,
  work: (server: RunningServer) => Promise<T>,
  options: LaunchOptions & { keepData?: boolean } = {},
): Promise<T> {
  return withServers(context, name, 1, ([server]) => work(server as RunningServer), options);
}

/**
 * Starts `count` instances of `name` together (a cluster, when `options.env` points them at
 * shared storage), runs `work`, and always closes the clients and stops every instance afterwards.
 */
export async function withServers<T>(
  context: ScenarioContext,
  name: TargetName,
  count: number,
  work: (servers: RunningServer[]) => Promise<T>,
  options: LaunchOptions & { keepData?: boolean } = {},
): Promise<T> {
  context.signal.throwIfAborted();
  const launches = await Promise.allSettled(Array.from({ length: count }, () => launchServer(targetByName(name), options)));
  const servers = launches.flatMap((launch) => (launch.status === 'fulfilled' ? [launch.value] : []));
  for (const server of servers) context.live.add(server);
  try {
    const failed = launches.find((launch) => launch.status === 'rejected');
    if (failed) throw failed.reason;
    return await work(servers);
  } finally {
    await context.pool.closeAll();
    await Promise.all(servers.map((server) => server.stop()));
    for (const server of servers) {
      context.live.delete(server);
      if (!options.keepData) removeDataDir(server);
    }
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

/** Measures each server's CPU and memory around `work` (one entry per server, in order). */
export async function measuredEach<T>(servers: readonly RunningServer[], work: () => Promise<T>): Promise<{ result: T; uses: ResourceUse[] }> {
  const starts = servers.map((server) => server.sample());
  const result = await work();
  const uses = servers.map((server, index) => resourceUseBetween(starts[index] as ProcessSample, server.sample()));
  return { result, uses };
}

/**
 * Waits until `server` has gone quiet: under `maxCpuPercent` of a core over `quietMs`, or
 * `timeoutMs` at most. Between phases: what a server still does for the last phase's document
 * after its clients left (Quire indexes it for search, from storage once its room is released,
 * which can start a render worker thread) is that phase's work, not the next window's.
 */
export async function quiet(server: RunningServer, { quietMs = 1_000, maxCpuPercent = 3, timeoutMs = 15_000 } = {}): Promise<void> {
  const giveUpAt = performance.now() + timeoutMs;
  let last = server.sample();
  while (performance.now() < giveUpAt) {
    await Bun.sleep(quietMs);
    const now = server.sample();
    if (((now.cpuMs - last.cpuMs) / quietMs) * 100 < maxCpuPercent) return;
    last = now;
  }
}

/** What the workers measured while typing, merged: latency summaries, counts and convergence. */
export function summarizeTyping(parts: readonly WorkerResponses['type'][]) {
  const merged = (pick: (part: WorkerResponses['type']) => number[]) => summarize(mergeSamples(parts.map(pick)));
  const total = (pick: (part: WorkerResponses['type']) => number) => parts.reduce((sum, part) => sum + pick(part), 0);
  // Writers of one document may sit in several workers: their replicas must all agree.
  const hashesByDocument = new Map<string, Set<string>>();
  for (const part of parts) {
    for (const [documentId, hashes] of Object.entries(part.contentHashes)) {
      const seen = hashesByDocument.get(documentId) ?? new Set<string>();
      for (const hash of hashes) seen.add(hash);
      hashesByDocument.set(documentId, seen);
    }
  }
  return {
    delivery: merged((part) => part.delivery),
    allPeers: merged((part) => part.allPeers),
    sameInstance: merged((part) => part.sameInstance),
    crossInstance: merged((part) => part.crossInstance),
    editsSent: total((part) => part.editsSent),
    editsIncomplete: total((part) => part.editsIncomplete),
    deliveredWhileRecording: total((part) => part.deliveredWhileRecording),
    duplicateUpdates: total((part) => part.duplicateUpdates),
    converged: [...hashesByDocument.values()].every((hashes) => hashes.size <= 1),
  };
}

/** Splits `total` into `parts` near-equal integers (the first ones get the remainder). */
export function split(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, index) => Math.floor(total / parts) + (index < total % parts ? 1 : 0));
}

/** Bytes to MiB with one decimal. */
export const mib = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;
