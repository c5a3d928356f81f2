/**
 * Starts a server under test in its own process, waits until it says it is listening, samples
 * its CPU and memory from /proc, and stops it. Output is drained continuously (a full pipe would
 * stall the server and distort the measurement) and its tail kept for error messages.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Subprocess } from 'bun';
import { withDeadline } from '../lib/deadline.ts';
import { freePort } from '../lib/free-port.ts';
import { registerChild } from '../lib/process-registry.ts';
import { sampleProcess, type ProcessSample } from '../lib/proc-stats.ts';
import { createDocuments, createSession } from './quire-api.ts';
import { REPO_ROOT, type ServerTarget } from './targets.ts';

const READY_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 10_000;
const LOG_TAIL_LINES = 40;

/** A started server: where to reach it, how to measure it and how to stop it. */
export interface RunningServer {
  target: ServerTarget;
  pid: number;
  port: number;
  httpUrl: string;
  syncBaseUrl: string;
  /** Bearer token for Quire; a placeholder for peers, which accept anything. */
  token: string;
  dataDir: string;
  sample(): ProcessSample;
  /** The last lines the server wrote, for error reports. */
  logTail(): string[];
  /** Stops the process (SIGTERM, then SIGKILL after a grace period) and waits for it. */
  stop(): Promise<void>;
}

/** Options for `launchServer`. */
export interface LaunchOptions {
  /** Reuse a data directory (cold-load restarts); a fresh temporary one otherwise. */
  dataDir?: string;
  /** Reuse a port (so clients keep their URLs across a restart); a free one otherwise. */
  port?: number;
  /** Extra environment on top of the target's own (a cluster's shared database, say). */
  env?: Record<string, string>;
}

/** Starts `target` and resolves once it is listening (and, for Quire, a session exists). */
export async function launchServer(target: ServerTarget, options: LaunchOptions = {}): Promise<RunningServer> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), `quire-bench-${target.name}-`));
  const port = options.port ?? (await freePort());
  const { argv, env } = target.command(port, dataDir);
  const child = Bun.spawn(argv, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, ...options.env },
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  });
  registerChild(child);
  const tail: string[] = [];
  let signalReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (signalReady = resolve));
  const onLine = (line: string) => {
    tail.push(line);
    if (tail.length > LOG_TAIL_LINES) tail.shift();
    if (target.isReadyLine(line)) signalReady();
  };
  drainLines(child.stdout, onLine);
  drainLines(child.stderr, onLine);
  const exitedEarly = child.exited.then((code) => {
    throw new Error(`${target.name} exited with ${code} before listening:\n${tail.join('\n')}`);
  });
  if (target.healthPath) void pollHealth(`http://127.0.0.1:${port}${target.healthPath}`, child, signalReady);
  try {
    await withDeadline(Promise.race([ready, exitedEarly]), READY_TIMEOUT_MS, `${target.name} start`);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  void exitedEarly.catch(() => {});
  const httpUrl = `http://127.0.0.1:${port}`;
  const token = target.hasRestApi ? await createSession(httpUrl) : 'bench';
  return {
    target,
    pid: child.pid,
    port,
    httpUrl,
    syncBaseUrl: target.syncBaseUrl(port),
    token,
    dataDir,
    sample: () => sampleProcess(child.pid) ?? { cpuMs: 0, rssBytes: 0, peakRssBytes: 0 },
    logTail: () => [...tail],
    stop: () => stopChild(child),
  };
}

/** Document ids ready to open on `server`: created over REST on Quire, just named on peers. */
export async function provisionDocuments(server: RunningServer, count: number, prefix: string): Promise<string[]> {
  if (server.target.hasRestApi) return createDocuments(server.httpUrl, server.token, count, 16, prefix);
  const unique = `${prefix}-${Date.now().toString(36)}`;
  return Array.from({ length: count }, (_, index) => `${unique}-${index}`);
}

/** Removes a server's temporary data directory once it is no longer needed. */
export function removeDataDir(server: RunningServer): void {
  rmSync(server.dataDir, { recursive: true, force: true });
}

/** Calls `onHealthy` once `url` answers 200; gives up when the child exits or after the ready timeout. */
async function pollHealth(url: string, child: Subprocess, onHealthy: () => void): Promise<void> {
  const end = performance.now() + READY_TIMEOUT_MS;
  while (performance.now() < end && child.exitCode === null) {
    try {
      if ((await fetch(url)).ok) return onHealthy();
    } catch {
      // Not listening yet.
    }
    await Bun.sleep(100);
  }
}

async function stopChild(child: Subprocess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  try {
    await withDeadline(child.exited, STOP_GRACE_MS, 'server stop');
  } catch {
    child.kill('SIGKILL');
    await child.exited;
  }
}

function drainLines(stream: ReadableStream<Uint8Array> | number | undefined, onLine: (line: string) => void): void {
  if (!stream || typeof stream === 'number') return;
  void (async () => {
    const decoder = new TextDecoder();
    let pending = '';
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      pending += decoder.decode(value, { stream: true });
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        onLine(pending.slice(0, newline));
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
      }
    }
    if (pending) onLine(pending);
  })().catch(() => {});
}
