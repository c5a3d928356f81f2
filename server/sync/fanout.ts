/**
 * Delivers a room's broadcasts. The common case goes through the runtime's topic publish, which
 * frames a message once and writes it to every subscriber natively (per-socket sends cost the
 * server most of its CPU at hundreds of clients). A client reading too slowly is taken off the
 * topic and remembers where it stood; once its socket drains it gets one merged catch-up and
 * rejoins. Nothing is ever dropped silently: a frame reaches a client, or the client is behind
 * and will be caught up.
 */
import * as Y from 'yjs';
import type { Connection } from './connection.ts';
import { encodeSyncUpdate } from './protocol.ts';
import { readLayout } from './update-reader.ts';

const BEHIND_POLL_MS = 20;
/**
 * How long a reader's queue may go unlooked-at while broadcasts flow. Only how soon a slow reader
 * is noticed depends on it: the bound on its queue comes from the bytes published (see `checkReaders`).
 */
const READER_CHECK_MS = 50;
/**
 * The timed look is skipped while less than this share of the bound was published since the
 * last one: no queue can have grown by more, and typing (tens of bytes a keystroke) would
 * otherwise ask every reader's socket for its queue twenty times a second for nothing.
 */
const READER_CHECK_MIN_SHARE = 1 / 64;

/** A client that fell behind: what it had been sent (a state vector) and what it has missed since. */
interface BehindState {
  since: Map<number, number>;
  awarenessSkipped: boolean;
  /** A catch-up is waiting for pending commits. */
  catchingUp: boolean;
}

/** Sends a frame to every socket subscribed to a topic. */
export type PublishAll = (topic: string, frame: Uint8Array) => void;

/** Counts what one server's rooms broadcast (metrics). */
export interface FanoutMeter {
  delivered(kind: 'update' | 'awareness', bytes: number, recipients: number): void;
  fellBehind(): void;
  caughtUp(): void;
}

/** Meters by the server's `publishAll`: the one per-server thing every room's fan-out is given. */
const meters = new WeakMap<PublishAll, FanoutMeter>();

/** Makes every room built with `publishAll` report its broadcasts to `meter`. */
export function meterFanout(publishAll: PublishAll, meter: FanoutMeter): void {
  meters.set(publishAll, meter);
}

/** Broadcasting for one room. */
export class Fanout {
  /** Highest clock per Yjs client broadcast so far: where a client that falls behind stands. */
  private readonly broadcastState: Map<number, number>;
  /** Clients off the topic, with where each stood when it fell behind. */
  private readonly behind = new Map<Connection, BehindState>();
  /** Polls the clients that fell behind while there are any: a drain event alone may come too early. */
  private behindPoll: ReturnType<typeof setInterval> | null = null;
  /** `performance.now()` of the last broadcast, for keep-alives. */
  lastBroadcastAt = performance.now();
  private readonly meter: FanoutMeter | null;
  /** Bytes published since the readers' queues were last looked at. */
  private uncheckedBytes = 0;
  private readerCheck: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor(
    private readonly topic: string,
    private readonly connections: ReadonlySet<Connection>,
    private readonly publishAll: PublishAll,
    /** Queued bytes past which a client is taken off the topic (half the hard bound). */
    private readonly behindAfterBytes: number,
    initialState: Map<number, number>,
  ) {
    this.broadcastState = new Map(initialState);
    this.meter = meters.get(publishAll) ?? null;
  }

  /** A connection joined the room: it hears broadcasts from now on. */
  join(connection: Connection): void {
    connection.subscribe(this.topic);
  }

  leave(connection: Connection): void {
    this.behind.delete(connection);
    this.stopPollingIfCaughtUp();
  }

  /** Sends a durable update to everyone but its sender. */
  update(update: Uint8Array, except: Connection | null): void {
    this.deliver('update', encodeSyncUpdate(update), except);
    const layout = readLayout(update);
    if (layout) {
      for (const { client, end } of layout.segments) this.raiseBroadcastClock(client, end);
    } else {
      for (const [client, clock] of Y.parseUpdateMeta(update).to) this.raiseBroadcastClock(client, clock);
    }
    this.checkReaders();
  }

  private raiseBroadcastClock(client: number, clock: number): void {
    if (clock > (this.broadcastState.get(client) ?? 0)) this.broadcastState.set(client, clock);
  }

  /** Sends an awareness frame to everyone, the sender included (the reference server's echo). */
  awareness(frame: Uint8Array): void {
    this.deliver('awareness', frame, null);
    for (const state of this.behind.values()) state.awarenessSkipped = true;
    this.checkReaders();
  }

  /** Whether a connection is off the topic, waiting for a catch-up. */
  isBehind(connection: Connection): boolean {
    return this.behind.has(connection);
  }

  /** Marks a catch-up as scheduled; false when none is needed or one is already on its way. */
  startCatchUp(connection: Connection): boolean {
    const state = this.behind.get(connection);
    if (!state || state.catchingUp) return false;
    state.catchingUp = true;
    return true;
  }

  /**
   * Sends a connection that fell behind everything it missed as one update (and the current
   * awareness), then puts it back on the topic. Call only when every change is durable.
   */
  catchUp(connection: Connection, missingSince: (stateVector: Uint8Array) => Uint8Array, awarenessStates: () => Uint8Array): void {
    const state = this.behind.get(connection);
    this.behind.delete(connection);
    this.stopPollingIfCaughtUp();
    if (!connection.isOpen || !state) return;
    connection.send(encodeSyncUpdate(missingSince(Y.encodeStateVector(state.since))));
    if (state.awarenessSkipped) connection.send(awarenessStates());
    connection.subscribe(this.topic);
    this.meter?.caughtUp();
  }

  private deliver(kind: 'update' | 'awareness', frame: Uint8Array, except: Connection | null): void {
    this.lastBroadcastAt = performance.now();
    if (this.meter) {
      const skipped = this.behind.size + (except && !this.behind.has(except) ? 1 : 0);
      this.meter.delivered(kind, frame.byteLength, this.connections.size - skipped);
    }
    // Direct sends count too: after a large frame the readers are looked at at once, before a
    // second one finds a reader near the bound and closes it.
    this.uncheckedBytes += frame.byteLength;
    // A frame this large could carry a socket past the runtime's limit, where publish drops
    // silently; such frames go one by one, each checked against the bound.
    if (frame.byteLength > this.behindAfterBytes / 2) {
      for (const connection of this.connections) {
        if (connection !== except && !this.behind.has(connection)) connection.send(frame);
      }
      return;
    }
    // Publishing through the sender's own socket skips it; a sender off the topic is skipped anyway.
    if (except) except.publish(this.topic, frame);
    else this.publishAll(this.topic, frame);
  }

  /**
   * Looks at every reader's queue every `READER_CHECK_MS` while broadcasts flow, rather than
   * after every broadcast (hundreds of readers times every keystroke; once a turn was still a
   * tenth of the fan-out's CPU). Sooner when a quarter of the hard bound was published since the
   * last look: a queue under half the bound then is still under three quarters of it, so no
   * publish can carry a socket past the runtime's limit (direct sends check the bound themselves).
   * The timed look waits for `READER_CHECK_MIN_SHARE` of the bound to be published: a reader is
   * then taken off at most that share past `behindAfterBytes`, far below the hard bound.
   */
  private checkReaders(): void {
    if (this.uncheckedBytes >= this.behindAfterBytes / 2) return this.takeOffSlowReaders();
    if (this.readerCheck || this.uncheckedBytes < this.behindAfterBytes * READER_CHECK_MIN_SHARE) return;
    this.readerCheck = setTimeout(() => {
      this.readerCheck = null;
      if (!this.closed) this.takeOffSlowReaders();
    }, READER_CHECK_MS);
  }

  private takeOffSlowReaders(): void {
    this.uncheckedBytes = 0;
    for (const connection of this.connections) {
      if (this.behind.has(connection) || connection.queuedBytes <= this.behindAfterBytes) continue;
      connection.unsubscribe(this.topic);
      this.behind.set(connection, { since: new Map(this.broadcastState), awarenessSkipped: false, catchingUp: false });
      this.meter?.fellBehind();
    }
    if (this.behind.size > 0 && !this.behindPoll) {
      this.behindPoll = setInterval(() => {
        for (const connection of this.behind.keys()) connection.drained();
      }, BEHIND_POLL_MS);
    }
  }

  private stopPollingIfCaughtUp(): void {
    if (this.behind.size > 0 || !this.behindPoll) return;
    clearInterval(this.behindPoll);
    this.behindPoll = null;
  }

  /** Stops timers (the room is released). */
  close(): void {
    this.closed = true;
    if (this.readerCheck) clearTimeout(this.readerCheck);
    this.readerCheck = null;
    this.behind.clear();
    this.stopPollingIfCaughtUp();
  }
}
