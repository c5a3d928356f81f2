import { describe, expect, test } from 'bun:test';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { ObservableV2 } from 'lib0/observable';
import type { WebsocketProvider } from 'y-websocket';
import { SaveChannel, type NetworkSignal, type SaveChannelTimings } from './saveChannel.ts';

const TIMINGS: SaveChannelTimings = {
  tickMs: 5,
  idlePingMs: 30,
  answerTimeoutMs: 60,
  connectTimeoutMs: 80,
  stuckMarkMs: 10_000,
  markDelayMs: 5,
};

type Frame = { type: 'mark'; seq: number } | { type: 'query-awareness' };

/** The parts of a WebsocketProvider the channel uses, driven by the test as the server. */
class FakeProvider extends ObservableV2<Record<string, (...args: any[]) => void>> {
  messageHandlers: ((encoder: encoding.Encoder, decoder: decoding.Decoder, provider: unknown, emitSynced: boolean, type: number) => void)[] = [];
  ws: { readyState: number; send: (frame: Uint8Array) => void } | null = null;
  wsconnected = false;
  wsconnecting = false;
  synced = false;
  wsLastMessageReceived = 0;
  readonly sent: Frame[] = [];
  restarts = 0;
  /** When set, the fake server answers query-awareness at once. */
  answersQueries = true;

  connect(): void {
    this.ws = {
      readyState: 1,
      send: (frame) => {
        const decoder = decoding.createDecoder(frame);
        const type = decoding.readVarUint(decoder);
        if (type === 100) this.sent.push({ type: 'mark', seq: decoding.readVarUint(decoder) });
        if (type === 3) {
          this.sent.push({ type: 'query-awareness' });
          if (this.answersQueries) this.hear();
        }
      },
    };
    this.wsconnecting = true;
    this.emit('status', [{ status: 'connecting' }]);
  }

  disconnect(): void {
    this.restarts += 1;
    this.emit('connection-close', [null]);
    const wasConnected = this.wsconnected;
    this.ws = null;
    this.wsconnected = this.wsconnecting = this.synced = false;
    if (wasConnected) this.emit('status', [{ status: 'disconnected' }]);
  }

  /** The socket opens and the sync completes. */
  open(): void {
    this.wsconnecting = false;
    this.wsconnected = true;
    this.emit('status', [{ status: 'connected' }]);
    this.hear();
    this.synced = true;
    this.emit('sync', [true]);
  }

  hear(): void {
    this.wsLastMessageReceived = Date.now();
  }

  /** The server acknowledges mark `seq`. */
  ack(seq: number): void {
    this.hear();
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, seq);
    this.messageHandlers[100]?.(encoding.createEncoder(), decoding.createDecoder(encoding.toUint8Array(encoder)), this, true, 100);
  }

  marks(): number[] {
    return this.sent.flatMap((frame) => (frame.type === 'mark' ? [frame.seq] : []));
  }
}

function fakeNetwork(): NetworkSignal & { set(online: boolean): void } {
  let listener: (online: boolean) => void = () => {};
  let online = true;
  return {
    online: () => online,
    subscribe: (onChange) => {
      listener = onChange;
      return () => (listener = () => {});
    },
    set(value) {
      online = value;
      listener(value);
    },
  };
}

function setUp(timings: Partial<SaveChannelTimings> = {}) {
  const provider = new FakeProvider();
  const network = fakeNetwork();
  let edits = 0;
  const saved: number[] = [];
  const networkReports: boolean[] = [];
  const channel = new SaveChannel(
    provider as unknown as WebsocketProvider,
    { edits: () => edits, onSaved: (count) => saved.push(count), onNetwork: (online) => networkReports.push(online) },
    { ...TIMINGS, ...timings },
    network,
  );
  channel.start();
  provider.connect();
  const edit = () => {
    edits += 1;
    channel.noteEdit();
  };
  return { provider, network, channel, saved, networkReports, edit };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs = 1_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(2);
  }
}

describe('SaveChannel', () => {
  test('a mark follows each sync, and its acknowledgement reports what it covered', async () => {
    const { provider, channel, saved, edit } = setUp();
    edit(); // made before the connection: the sync's step 2 carries it
    provider.open();
    expect(provider.marks()).toHaveLength(1);
    provider.ack(provider.marks()[0] ?? 0);
    expect(saved).toEqual([1]);
    channel.stop();
  });

  test('one mark in flight at a time; edits made meanwhile get the next one', async () => {
    const { provider, channel, saved, edit } = setUp();
    provider.open();
    provider.ack(provider.marks()[0] ?? 0);
    edit();
    await until(() => provider.marks().length === 2);
    edit();
    edit();
    await sleep(20);
    expect(provider.marks()).toHaveLength(2);
    provider.ack(provider.marks()[1] ?? 0);
    await until(() => provider.marks().length === 3);
    provider.ack(provider.marks()[2] ?? 0);
    expect(saved).toEqual([0, 1, 3]);
    channel.stop();
  });

  test('a connection that stops answering is closed within idle ping plus answer timeout', async () => {
    const { provider, channel } = setUp();
    provider.open();
    provider.ack(provider.marks()[0] ?? 0);
    const silentSince = Date.now();
    provider.answersQueries = false;
    await until(() => provider.restarts === 1);
    const took = Date.now() - silentSince;
    expect(took).toBeGreaterThanOrEqual(TIMINGS.idlePingMs + TIMINGS.answerTimeoutMs - 10);
    expect(took).toBeLessThan(TIMINGS.idlePingMs + TIMINGS.answerTimeoutMs + 400);
    // The idle ping was a mark (none was waiting).
    expect(provider.marks()).toHaveLength(2);
    channel.stop();
  });

  test('a mark waiting on slow storage does not count as silence while the server answers pings', async () => {
    const { provider, channel, edit } = setUp();
    provider.open();
    provider.ack(provider.marks()[0] ?? 0);
    edit();
    await until(() => provider.marks().length === 2);
    // The mark stays unanswered; pings are answered.
    await sleep(4 * (TIMINGS.idlePingMs + TIMINGS.answerTimeoutMs));
    expect(provider.restarts).toBe(0);
    expect(provider.sent.some((frame) => frame.type === 'query-awareness')).toBe(true);
    expect(provider.marks()).toHaveLength(2);
    channel.stop();
  });

  test('a mark unanswered for too long reconnects, so the next sync resends what it covered', async () => {
    const { provider, channel, edit } = setUp({ stuckMarkMs: 120 });
    provider.open();
    provider.ack(provider.marks()[0] ?? 0);
    edit();
    await until(() => provider.restarts === 1);
    channel.stop();
  });

  test('a connection attempt that hangs is abandoned', async () => {
    const { provider, channel } = setUp();
    const started = Date.now();
    await until(() => provider.restarts === 1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMINGS.connectTimeoutMs - 5);
    channel.stop();
  });

  test('the browser going offline closes at once; online retries at once', async () => {
    const { provider, network, channel, networkReports } = setUp();
    provider.open();
    network.set(false);
    expect(provider.restarts).toBe(1);
    network.set(true);
    expect(provider.restarts).toBe(2);
    expect(networkReports).toEqual([false, true]);
    channel.stop();
  });
});
