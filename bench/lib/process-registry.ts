/**
 * Every child process the benchmark starts is registered here, so that a normal end, an error,
 * a timeout or Ctrl-C all kill the same set: no server or load generator outlives a run.
 */
import type { Subprocess } from 'bun';

const running = new Set<Subprocess>();
let hooksInstalled = false;

/** Tracks `child` until it exits; it is killed if the benchmark process ends first. */
export function registerChild(child: Subprocess): void {
  installExitHooks();
  running.add(child);
  void child.exited.then(() => running.delete(child));
}

/** Kills every registered child still running (SIGKILL: the run is over, nothing to flush). */
export function killAllChildren(): void {
  for (const child of running) {
    try {
      child.kill('SIGKILL');
    } catch {
      // Already gone between the check and the signal.
    }
  }
  running.clear();
}

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAllChildren);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      killAllChildren();
      process.exit(130);
    });
  }
}
