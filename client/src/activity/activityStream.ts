/**
 * One `EventSource` on the activity stream, feeding a live store. It resumes after drops without
 * gaps: the browser sends `Last-Event-ID` on its own retries, and when the browser gives up (an
 * HTTP error, a restart) a new stream opens with `lastEventId` after a backoff.
 */
import { ACCESS_REVOKED_EVENT, ACTIVITY_TYPES, type ActivityEvent } from '../../../shared/activity.ts';
import type { LiveActivityStore, StreamStatus } from './liveStore.ts';
import { parseActivityEvent } from './parse.ts';

const STREAM_PATH = '/api/activity/stream';
const MAX_BACKOFF_MS = 15_000;

/** What a view outside the feed cares about (cache invalidation), and what other tabs are told. */
export interface StreamCallbacks {
  /** A new (not replayed) event arrived. */
  onEvent: (event: ActivityEvent) => void;
  /** The stream (re)opened; `resumed` is false when it started with no resume point. */
  onOpen: (resumed: boolean) => void;
  /** The browser gave up on the stream, e.g. because the session ended. */
  onFailed: () => void;
  /** This reader lost access to a document: its events are gone from the live store already. */
  onRevoked?: (documentId: string) => void;
}

/** The stream's lifecycle; `start` once, `stop` once. */
export class ActivityEventStream {
  private source: EventSource | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private stopped = false;

  /** `scope` narrows the stream, e.g. `{documentId, share}` for one document opened through a secret link. */
  constructor(
    private readonly store: LiveActivityStore,
    private readonly callbacks: StreamCallbacks & { onStatus?: (status: StreamStatus) => void },
    private readonly scope: Readonly<Record<string, string>> = {},
  ) {}

  start(): void {
    this.open();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.source?.close();
  }

  private setStatus(status: StreamStatus): void {
    this.store.setStatus(status);
    this.callbacks.onStatus?.(status);
  }

  private readonly handleMessage = (message: MessageEvent<string>) => {
    const event = parseActivityEvent(message.data);
    if (event !== null && this.store.add(event)) this.callbacks.onEvent(event);
  };

  private readonly handleRevoked = (message: MessageEvent<string>) => {
    const documentId = revokedDocument(message.data);
    if (documentId === null) return;
    this.store.forgetDocument(documentId);
    this.callbacks.onRevoked?.(documentId);
  };

  private open(): void {
    if (this.stopped) return;
    const resumeFrom = this.store.getSnapshot().lastEventId;
    const query = new URLSearchParams(this.scope);
    if (resumeFrom !== null) query.set('lastEventId', String(resumeFrom));
    const current = new EventSource(query.size === 0 ? STREAM_PATH : `${STREAM_PATH}?${query}`);
    this.source = current;
    for (const type of ACTIVITY_TYPES) current.addEventListener(type, this.handleMessage);
    current.addEventListener(ACCESS_REVOKED_EVENT, this.handleRevoked);
    // Servers may also send unnamed events; they are handled the same way.
    current.onmessage = this.handleMessage;
    current.onopen = () => {
      this.failures = 0;
      this.setStatus('live');
      this.callbacks.onOpen(this.store.getSnapshot().lastEventId !== null);
    };
    current.onerror = () => {
      if (this.stopped || this.source !== current) return;
      this.setStatus('reconnecting');
      if (current.readyState !== EventSource.CLOSED) return; // the browser retries by itself
      current.close();
      this.failures += 1;
      this.callbacks.onFailed();
      const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(this.failures, 5));
      this.retryTimer = setTimeout(() => this.open(), delay);
    };
  }
}

/** The document of an `access.revoked` notice, or null for anything else. */
export function revokedDocument(data: string): string | null {
  try {
    const notice = JSON.parse(data) as { documentId?: unknown };
    return typeof notice.documentId === 'string' && notice.documentId.length > 0 && notice.documentId.length <= 64 ? notice.documentId : null;
  } catch {
    return null;
  }
}
