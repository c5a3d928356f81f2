/**
 * Worker operations for the activity stream: hold many SSE subscribers open, then create
 * documents and time how long each `document.created` event takes to reach every subscriber.
 * Send and arrival times are both taken in this process.
 */
import { createParser } from 'eventsource-parser';
import { sleep, withDeadline } from '../../lib/deadline.ts';
import { createDocument } from '../../servers/quire-api.ts';
import type { WorkerRequests, WorkerResponses } from '../worker-protocol.ts';

const PROBE_PREFIX = 'sse-probe';
/** Arrival times per probe title, one entry per subscriber that received it. */
const arrivals = new Map<string, number[]>();
const streams: AbortController[] = [];
let subscriberCount = 0;

/** Opens `subscribers` activity streams; resolves when all of them answered with headers. */
export async function subscribe(args: WorkerRequests['sseSubscribe']): Promise<WorkerResponses['sseSubscribe']> {
  const started = performance.now();
  const opened = Array.from({ length: args.subscribers }, () => openStream(args.httpUrl, args.token));
  await withDeadline(Promise.all(opened), args.timeoutMs, 'SSE subscribers');
  subscriberCount += args.subscribers;
  return { connected: args.subscribers, elapsedMs: performance.now() - started };
}

/** Creates probe documents one by one and returns their delivery latencies to every subscriber here. */
export async function measure(args: WorkerRequests['sseMeasure']): Promise<WorkerResponses['sseMeasure']> {
  const sentAt = new Map<string, number>();
  const run = Math.random().toString(36).slice(2, 8);
  for (let index = 0; index < args.documents; index++) {
    const title = `${PROBE_PREFIX} ${run} ${index}`;
    sentAt.set(title, performance.now());
    await createDocument(args.httpUrl, args.token, title);
    await sleep(args.intervalMs);
  }
  await sleep(args.settleMs);
  const latency: number[] = [];
  let missing = 0;
  for (const [title, sent] of sentAt) {
    const received = arrivals.get(title) ?? [];
    for (const at of received) latency.push(at - sent);
    missing += Math.max(0, subscriberCount - received.length);
  }
  return { latency, missing, events: sentAt.size };
}

/** Closes every stream this worker holds. */
export function closeStreams(): void {
  for (const controller of streams) controller.abort();
  streams.length = 0;
  arrivals.clear();
  subscriberCount = 0;
}

async function openStream(httpUrl: string, token: string): Promise<void> {
  const controller = new AbortController();
  streams.push(controller);
  const response = await fetch(`${httpUrl}/api/activity/stream`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  if (!response.ok || !response.body) throw new Error(`activity stream answered ${response.status}`);
  const parser = createParser({
    onEvent: (event) => {
      if (event.event !== 'document.created') return;
      const at = performance.now();
      const title = (JSON.parse(event.data) as { documentTitle?: unknown }).documentTitle;
      if (typeof title === 'string' && title.startsWith(PROBE_PREFIX)) {
        let list = arrivals.get(title);
        if (!list) arrivals.set(title, (list = []));
        list.push(at);
      }
    },
  });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      parser.feed(value);
    }
  })().catch(() => {});
}
