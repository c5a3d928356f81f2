/**
 * Test helper: reads `GET /api/activity/stream` with Bun's fetch and the eventsource-parser
 * library (the same parsing rules as a browser's EventSource), recording what arrives.
 */
import { createParser } from 'eventsource-parser';
import type { ActivityEvent } from '../../../shared/activity.ts';
import { waitFor, type TestServer } from '../../test-support/harness.ts';

/** One open stream and everything it has delivered so far. */
export interface StreamClient {
  response: Response;
  /** Parsed events in arrival order, with the SSE `id:` and `event:` fields. */
  events: { id: string | undefined; type: string | undefined; data: ActivityEvent }[];
  comments: string[];
  retry: number | null;
  /** `performance.now()` when the first bytes arrived. */
  firstBytesAt: number | null;
  /** Set when the body ended, cleanly or not. */
  ended: boolean;
  /** Resolves once `count` events have arrived. */
  waitForEvents(count: number, timeoutMs?: number): Promise<void>;
  /** Stops reading and releases the connection. */
  close(): Promise<void>;
}

export interface StreamOptions {
  documentId?: string;
  /** Sent as the `Last-Event-ID` header. */
  lastEventIdHeader?: number;
  /** Sent as the `lastEventId` query parameter. */
  lastEventIdQuery?: number;
}

function streamPath(options: StreamOptions): string {
  const query = new URLSearchParams();
  if (options.documentId) query.set('documentId', options.documentId);
  if (options.lastEventIdQuery !== undefined) query.set('lastEventId', String(options.lastEventIdQuery));
  const search = query.toString();
  return `/api/activity/stream${search ? `?${search}` : ''}`;
}

/** Opens the stream with `token` (the response must be 200) and reads it in the background. */
export async function openStream(server: TestServer, token: string, options: StreamOptions = {}): Promise<StreamClient> {
  const abort = new AbortController();
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (options.lastEventIdHeader !== undefined) headers['last-event-id'] = String(options.lastEventIdHeader);
  const response = await server.request(streamPath(options), { token, headers, signal: abort.signal });
  if (response.status !== 200 || !response.body) throw new Error(`stream refused: ${response.status} ${await response.text()}`);
  const client: StreamClient = {
    response,
    events: [],
    comments: [],
    retry: null,
    firstBytesAt: null,
    ended: false,
    waitForEvents: (count, timeoutMs = 5000) => waitFor(() => client.events.length >= count, timeoutMs, `${count} stream events`),
    async close() {
      abort.abort();
      await reading;
    },
  };
  const parser = createParser({
    onEvent: (message) => client.events.push({ id: message.id, type: message.event, data: JSON.parse(message.data) as ActivityEvent }),
    onComment: (comment) => client.comments.push(comment),
    onRetry: (ms) => (client.retry = ms),
  });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const reading = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        client.firstBytesAt ??= performance.now();
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } catch {
      // aborted by close(), or the server dropped the stream
    } finally {
      client.ended = true;
    }
  })();
  return client;
}

/** The ids of stream events, as numbers. */
export const ids = (stream: StreamClient): number[] => stream.events.map((event) => Number(event.id));
