/**
 * An event-loop watchdog for hostile tests: polls a server's `/healthz` every `intervalMs` and
 * records the longest wait: from when a poll was due to when its answer came. A server frozen by
 * one request or frame shows up as a long wait, whether it runs in another process (the poll
 * waits for its answer) or in the test's own (the poll's timer fires late); a healthy one
 * answers within milliseconds.
 */
export interface Watchdog {
  /** Stops polling and resolves with the longest wait seen, in milliseconds. */
  stop(): Promise<number>;
}

/**
 * Starts polling. `pollTimeoutMs` gives up on one poll (it then counts as that long a wait), so a
 * server that stops answering altogether cannot hold the caller up forever.
 */
export function startWatchdog(baseUrl: string, intervalMs = 50, pollTimeoutMs?: number): Watchdog {
  let running = true;
  let longest = 0;
  const loop = (async () => {
    let due = performance.now();
    while (running) {
      try {
        const response = await fetch(`${baseUrl}/healthz`, pollTimeoutMs ? { signal: AbortSignal.timeout(pollTimeoutMs) } : {});
        await response.arrayBuffer();
      } catch {
        // A refused poll still measured how long the loop took to get to it.
      }
      longest = Math.max(longest, performance.now() - due);
      due = performance.now() + intervalMs;
      await Bun.sleep(intervalMs);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return longest;
    },
  };
}
