/** Closed-loop HTTP load: `concurrency` lanes each send the next GET (to the next of `urls`) as soon as one returns. */
import type { WorkerRequests, WorkerResponses } from '../worker-protocol.ts';

/** Runs the load for `durationMs` and returns per-request latencies. */
export async function runHttpLoad(args: WorkerRequests['httpLoad']): Promise<WorkerResponses['httpLoad']> {
  const latency: number[] = [];
  let failures = 0;
  const started = performance.now();
  const end = started + args.durationMs;
  const headers = { authorization: `Bearer ${args.token}` };
  const lane = async (_: unknown, laneIndex: number) => {
    for (let next = laneIndex; performance.now() < end; next++) {
      const sent = performance.now();
      try {
        const response = await fetch(args.urls[next % args.urls.length]!, { headers });
        // Reading the body is part of the request: a list is only useful once it has arrived.
        await response.arrayBuffer();
        if (response.ok) latency.push(performance.now() - sent);
        else failures++;
      } catch {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: args.concurrency }, lane));
  return { latency, requests: latency.length + failures, failures, elapsedMs: performance.now() - started };
}
