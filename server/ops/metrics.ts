/**
 * Quire's Prometheus metrics, one registry per server (tests run several in one process). Counters
 * are fed by hooks on the write path (`UpdateWriter`), the fan-out (`Fanout`) and refused
 * requests; gauges are read from the services when scraped.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ClusterBus } from '../cluster/bus.ts';
import type { ActivityHub } from '../modules/activity/hub.ts';
import type { Store } from '../storage/store.ts';
import type { FanoutMeter } from '../sync/fanout.ts';
import type { RoomRegistry } from '../sync/rooms.ts';
import type { UpdateWriter, WriterObserver } from '../sync/update-writer.ts';

/** What the gauges read at scrape time. */
export interface MetricsSources {
  rooms: RoomRegistry;
  hub: ActivityHub;
  bus: ClusterBus | null;
  store: Store;
  writer: UpdateWriter;
}

/** Longest a scrape waits for the storage ping before reporting storage as down. */
const STORAGE_PING_TIMEOUT_MS = 2000;

/**
 * How often the event-loop monitor's timer fires. Each firing wakes an idle loop, which cost
 * Bun about 50 µs: at 10 ms (Node's and prom-client's default) that was half a percent of a
 * core, a sixth of what Quire spent beyond the bare relay in the fan-out benchmark. A stall of
 * this length or more always delays a firing, so the maximum still shows every stall that long;
 * shorter ones show when a firing falls due during them.
 */
const EVENT_LOOP_SAMPLE_MS = 100;

/** Commits take a millisecond or less on SQLite, a few on a remote PostgreSQL. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

async function pingWithin(store: Store, timeoutMs: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  const ping = store.ping().then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([ping, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The registry and the hooks that feed it. */
export class Metrics {
  readonly registry = new Registry();
  private readonly eventLoop: ReturnType<typeof monitorEventLoopDelay> = monitorEventLoopDelay({ resolution: EVENT_LOOP_SAMPLE_MS });
  /**
   * What the write path and the fan-out count at every update, as plain numbers handed to their
   * counters when scraped: prom-client's per-call label hashing and checks were a few percent of
   * the server's CPU in the fan-out benchmark.
   */
  private readonly tally = { updatesReceived: 0, bytesReceived: 0, messagesSent: { update: 0, awareness: 0 }, bytesSent: { update: 0, awareness: 0 } };
  private readonly slowReaders = this.counter('quire_sync_slow_readers_total', 'Connections taken off the broadcast because they read too slowly.');
  private readonly caughtUp = this.counter('quire_sync_slow_readers_caught_up_total', 'Slow connections sent one merged catch-up and put back on the broadcast.');
  private readonly refusals = this.counter('quire_rate_limit_refusals_total', 'Requests refused with 429, by the limit that refused them.', ['reason']);
  private readonly commitSeconds = new Histogram({
    name: 'quire_commit_duration_seconds',
    help: 'Time to commit one batch of document updates to storage.',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly broadcastSeconds = new Histogram({
    name: 'quire_broadcast_delay_seconds',
    help: 'Time from receiving a document update to handing it to peers (its commit included).',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  /** Hooks for the `UpdateWriter`. */
  readonly writerObserver: WriterObserver = {
    queued: (bytes) => {
      this.tally.updatesReceived++;
      this.tally.bytesReceived += bytes;
    },
    committed: (_updates, seconds) => this.commitSeconds.observe(seconds),
    delivered: (seconds) => this.broadcastSeconds.observe(seconds),
  };

  /** Hooks for every room's `Fanout`. */
  readonly fanoutMeter: FanoutMeter = {
    delivered: (kind, bytes, recipients) => {
      if (recipients <= 0) return;
      this.tally.messagesSent[kind] += recipients;
      this.tally.bytesSent[kind] += bytes * recipients;
    },
    fellBehind: () => this.slowReaders.inc(),
    caughtUp: () => this.caughtUp.inc(),
  };

  constructor() {
    this.eventLoop.enable();
    const { tally } = this;
    this.tallied('quire_sync_updates_received_total', 'Document updates received (sync and REST), before they are committed; what one client sends in one event-loop turn arrives merged, as one.', () => [[{}, tally.updatesReceived]]);
    this.tallied('quire_sync_received_bytes_total', 'Bytes of document updates received.', () => [[{}, tally.bytesReceived]]);
    this.tallied('quire_sync_messages_sent_total', 'Broadcast sync frames handed to peers on this instance (one per recipient).', () => byType(tally.messagesSent), ['type']);
    this.tallied('quire_sync_sent_bytes_total', 'Bytes of broadcast sync frames handed to peers on this instance.', () => byType(tally.bytesSent), ['type']);
  }

  /** Counts a request refused by a rate limit or cap. */
  refused(reason: string): void {
    this.refusals.inc({ reason });
  }

  /** Registers the gauges read from the running services at scrape time. */
  watch(sources: MetricsSources): void {
    const { rooms, hub, bus, store, writer } = sources;
    this.gauge('quire_open_documents', 'Documents held in memory (open by at least one connection, or being released).', () => rooms.size);
    this.gauge('quire_sync_connections', 'Open sync connections on this instance.', () => rooms.rooms().reduce((sum, room) => sum + room.connections.size, 0));
    this.gauge('quire_activity_stream_readers', 'Open activity streams (Server-Sent Events) on this instance.', () => hub.size);
    this.gauge('quire_updates_pending', 'Document updates received and not yet committed.', () => writer.pending);
    this.gauge('quire_storage_commits_failing', '1 while commits of document updates fail (they are kept in memory and retried).', () => (writer.failure ? 1 : 0));
    this.gauge('quire_storage_up', '1 when storage answered a ping within 2 s.', async () => ((await pingWithin(store, STORAGE_PING_TIMEOUT_MS)) ? 1 : 0));
    if (bus) this.gauge('quire_redis_up', '1 while the Redis cluster bus is connected.', () => (bus.healthy ? 1 : 0));
    const lag = new Gauge({
      name: 'quire_event_loop_lag_seconds',
      help: 'Event-loop delay since the previous scrape, sampled every 100 ms: its 50th and 99th percentiles and its maximum.',
      labelNames: ['quantile'],
      registers: [this.registry],
      collect: () => {
        lag.set({ quantile: '0.5' }, this.eventLoop.percentile(50) / 1e9);
        lag.set({ quantile: '0.99' }, this.eventLoop.percentile(99) / 1e9);
        lag.set({ quantile: '1' }, this.eventLoop.max / 1e9);
        this.eventLoop.reset();
      },
    });
  }

  /** The exposition text, and its content type. */
  async scrape(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }

  /** Stops the event-loop monitor (server stop). */
  close(): void {
    this.eventLoop.disable();
  }

  private counter(name: string, help: string, labelNames: string[] = []): Counter {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  /** A counter whose totals are read from `read` when scraped. */
  private tallied(name: string, help: string, read: () => [Record<string, string>, number][], labelNames: string[] = []): void {
    new Counter({
      name,
      help,
      labelNames,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [labels, total] of read()) this.inc(labels, total);
      },
    });
  }

  private gauge(name: string, help: string, read: () => number | Promise<number>): void {
    const gauge: Gauge = new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        gauge.set(await read());
      },
    });
  }
}

function byType(totals: Record<'update' | 'awareness', number>): [Record<string, string>, number][] {
  return [
    [{ type: 'update' }, totals.update],
    [{ type: 'awareness' }, totals.awareness],
  ];
}
