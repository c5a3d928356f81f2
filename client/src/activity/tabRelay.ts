/**
 * Messages by which the tab holding the browser's one activity stream relays it to the other
 * tabs of the same user over a BroadcastChannel. Parsed defensively: any page of the origin can
 * post on a channel.
 */
import type { ActivityEvent } from '../../../shared/activity.ts';
import type { StreamStatus } from './liveStore.ts';
import { parseActivityEvent } from './parse.ts';

export type RelayMessage =
  /** A new event from the stream. */
  | { type: 'event'; event: ActivityEvent }
  /** The stream's status and how far it has read (sent on change and on request). */
  | { type: 'status'; status: StreamStatus; lastEventId: number | null }
  /** The stream (re)opened; `resumed` as in StreamCallbacks.onOpen. */
  | { type: 'open'; resumed: boolean }
  /** The browser gave up on the stream (often an ended session). */
  | { type: 'failed' }
  /** This user lost access to a document: drop its events. */
  | { type: 'revoked'; documentId: string }
  /** A tab that just started asks the holder for its status. */
  | { type: 'hello' };

const STATUSES: readonly string[] = ['connecting', 'live', 'reconnecting'];

/** Channel and lock names, per signed-in user. */
export function relayChannelName(userId: string): string {
  return `quire:activity:${userId}`;
}

export function streamLockName(userId: string): string {
  return `quire:activity-stream:${userId}`;
}

/** A relay message, or null for anything else. */
export function parseRelayMessage(data: unknown): RelayMessage | null {
  if (typeof data !== 'object' || data === null || !('type' in data)) return null;
  const message = data as Record<string, unknown>;
  switch (message.type) {
    case 'event': {
      const event = parseActivityEvent(JSON.stringify(message.event ?? null));
      return event === null ? null : { type: 'event', event };
    }
    case 'status': {
      const { status, lastEventId } = message;
      if (typeof status !== 'string' || !STATUSES.includes(status)) return null;
      if (lastEventId !== null && !Number.isInteger(lastEventId)) return null;
      return { type: 'status', status: status as StreamStatus, lastEventId: lastEventId as number | null };
    }
    case 'open':
      return typeof message.resumed === 'boolean' ? { type: 'open', resumed: message.resumed } : null;
    case 'revoked':
      return typeof message.documentId === 'string' && message.documentId.length > 0 && message.documentId.length <= 64
        ? { type: 'revoked', documentId: message.documentId }
        : null;
    case 'failed':
    case 'hello':
      return { type: message.type };
    default:
      return null;
  }
}
