/**
 * Binds save marks and a fast liveness check to a stock `WebsocketProvider`.
 *
 * - After every sync (first connect and each reconnect, once the client's step 2 went out) and
 *   after local edits, a save mark is sent; its acknowledgement says how many edits are durable.
 * - After `idlePingMs` of silence a probe goes out: a mark (answered at once when nothing waits
 *   for storage), or a query-awareness while a mark waits on a slow commit. A connection that
 *   answers nothing for `answerTimeoutMs` after a probe is closed, so the provider reports
 *   'disconnected' and retries: a dead network is noticed within about `idlePingMs +
 *   answerTimeoutMs`, not the stock 30 s.
 * - A mark still unanswered after `stuckMarkMs` on a live connection (the server holds marks behind
 *   an update it set aside for missing dependencies) also reconnects: the new sync resends it.
 * - A connection attempt that hangs (a black-holed network) is abandoned after `connectTimeoutMs`.
 * - The browser's `offline`/`online` events close at once / retry at once.
 * - Everything is measured on the wall clock the provider uses (`Date.now()`).
 */
import * as encoding from 'lib0/encoding';
import type { WebsocketProvider } from 'y-websocket';
import { SAVE_MARK_MESSAGE_TYPE } from '../../../shared/protocol.ts';
import { encodeSaveMark, MarkLedger, readSaveMarkAck } from './saveMarks.ts';

/** How fast the channel pings and gives up. */
export interface SaveChannelTimings {
  /** Watchdog period. */
  tickMs: number;
  /** Silence after which a ping (a mark, or a query-awareness) is sent. */
  idlePingMs: number;
  /** Silence after a mark or ping after which the connection counts as dead. */
  answerTimeoutMs: number;
  /** Longest a connection attempt may hang before it is abandoned. */
  connectTimeoutMs: number;
  /** A mark unanswered this long on a connection that answers otherwise is given up on. */
  stuckMarkMs: number;
  /** Edits within this window share one mark. */
  markDelayMs: number;
}

export const DEFAULT_TIMINGS: SaveChannelTimings = {
  tickMs: 250,
  idlePingMs: 1_000,
  answerTimeoutMs: 3_000,
  connectTimeoutMs: 5_000,
  stuckMarkMs: 20_000,
  markDelayMs: 100,
};

/** What the channel reads from and reports to its owner. */
export interface SaveChannelHooks {
  /** Local edits counted so far. */
  edits(): number;
  /** The server acknowledged a mark covering `edits` edits. */
  onSaved(edits: number): void;
  /** The browser's network came or went. */
  onNetwork(online: boolean): void;
  /** The channel closed a connection that stopped answering (for diagnostics). */
  onDead?(reason: string): void;
}

/** The browser's view of its network: `navigator.onLine` and the `online`/`offline` events. */
export interface NetworkSignal {
  online(): boolean;
  /** Calls `onChange` on every change; returns the unsubscribe. */
  subscribe(onChange: (online: boolean) => void): () => void;
}

/** The page's own network signal. */
export const browserNetwork: NetworkSignal = {
  online: () => navigator.onLine,
  subscribe(onChange) {
    const online = () => onChange(true);
    const offline = () => onChange(false);
    window.addEventListener('online', online);
    window.addEventListener('offline', offline);
    return () => {
      window.removeEventListener('online', online);
      window.removeEventListener('offline', offline);
    };
  },
};

/** `WebSocket.OPEN`, without needing the global (tests run without one). */
const OPEN = 1;

const QUERY_AWARENESS_FRAME = (() => {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 3); // y-protocols' messageQueryAwareness
  return encoding.toUint8Array(encoder);
})();

/** One per provider; `start` once, `stop` before the provider is destroyed. */
export class SaveChannel {
  private readonly ledger = new MarkLedger();
  /** When the liveness probe now waiting for an answer was sent; null when none waits. */
  private probeSentAt: number | null = null;
  private attemptStartedAt: number | null = null;
  private markTimer: ReturnType<typeof setTimeout> | undefined;
  private tickTimer: ReturnType<typeof setInterval> | undefined;
  private unsubscribeNetwork: () => void = () => {};

  constructor(
    private readonly provider: WebsocketProvider,
    private readonly hooks: SaveChannelHooks,
    private readonly timings: SaveChannelTimings = DEFAULT_TIMINGS,
    private readonly network: NetworkSignal = browserNetwork,
  ) {}

  start(): void {
    this.provider.messageHandlers[SAVE_MARK_MESSAGE_TYPE] = (_encoder, decoder) => this.acknowledged(readSaveMarkAck(decoder));
    this.provider.on('status', this.onStatus);
    this.provider.on('sync', this.onSync);
    this.provider.on('connection-close', this.onClose);
    this.unsubscribeNetwork = this.network.subscribe((online) => (online ? this.onOnline() : this.onOffline()));
    this.tickTimer = setInterval(this.tick, this.timings.tickMs);
    if (!this.network.online()) this.hooks.onNetwork(false);
  }

  stop(): void {
    clearInterval(this.tickTimer);
    clearTimeout(this.markTimer);
    this.provider.off('status', this.onStatus);
    this.provider.off('sync', this.onSync);
    this.provider.off('connection-close', this.onClose);
    this.unsubscribeNetwork();
  }

  /** A local edit was made: a mark follows shortly, unless one is already on its way. */
  noteEdit(): void {
    if (this.markTimer !== undefined || this.ledger.pending > 0) return;
    this.markTimer = setTimeout(() => {
      this.markTimer = undefined;
      this.sendMark();
    }, this.timings.markDelayMs);
  }

  private readonly onStatus = ({ status }: { status: 'connecting' | 'connected' | 'disconnected' }) => {
    const now = Date.now();
    if (status === 'connecting') this.attemptStartedAt = now;
    if (status === 'connected') this.attemptStartedAt = null;
    if (status !== 'connected') this.forgetConnection();
  };

  private readonly onSync = (synced: boolean) => {
    // The client's step 2 (everything the server lacked) went out before the server's step 2
    // arrived; a mark now vouches for it once acknowledged.
    if (synced) this.sendMark();
  };

  private readonly onClose = () => {
    this.attemptStartedAt = null;
    this.forgetConnection();
  };

  private readonly onOffline = () => {
    this.hooks.onNetwork(false);
    if (this.provider.ws !== null) this.restart('the browser went offline');
  };

  private readonly onOnline = () => {
    this.hooks.onNetwork(true);
    // Do not wait for the provider's backoff: try now.
    if (!this.provider.wsconnected) this.restart(null);
  };

  private forgetConnection(): void {
    this.ledger.clear();
    this.probeSentAt = null;
  }

  private acknowledged(seq: number): void {
    const edits = this.ledger.acknowledge(seq);
    if (edits === null) return;
    this.hooks.onSaved(edits);
    if (this.ledger.pending === 0 && this.hooks.edits() > edits) this.noteEdit();
  }

  private socketReady(): WebSocket | null {
    const ws = this.provider.ws;
    if (ws === null || !this.provider.wsconnected || !this.provider.synced || ws.readyState !== OPEN) return null;
    return ws;
  }

  private sendMark(): void {
    const ws = this.socketReady();
    if (ws === null) return;
    ws.send(encodeSaveMark(this.ledger.send(this.hooks.edits(), Date.now())));
  }

  /** Sends something the server answers at once; true when it went out. */
  private probe(): boolean {
    const ws = this.provider.ws;
    if (ws === null || ws.readyState !== OPEN) return false;
    // A mark doubles as a probe, but only after the sync (it would vouch for edits not yet sent)
    // and only when none waits: the server holds acknowledgements back until commits succeed,
    // and a slow disk is not a dead network.
    if (this.provider.synced && this.ledger.pending === 0) this.sendMark();
    else ws.send(QUERY_AWARENESS_FRAME);
    return true;
  }

  /** Closes the current socket at once; the provider reports it and connects again. */
  private restart(reason: string | null): void {
    if (reason !== null) this.hooks.onDead?.(reason);
    this.provider.disconnect();
    this.provider.connect();
  }

  private readonly tick = () => {
    const provider = this.provider;
    if (provider.ws === null) return;
    const now = Date.now();
    if (provider.wsconnecting) {
      if (this.attemptStartedAt !== null && now - this.attemptStartedAt > this.timings.connectTimeoutMs) {
        this.restart('the connection attempt hung');
      }
      return;
    }
    if (!provider.wsconnected) return;
    // Anything heard from the server (an answer, an update, awareness) proves it alive.
    const heard = provider.wsLastMessageReceived;
    if (this.probeSentAt !== null && heard >= this.probeSentAt) this.probeSentAt = null;
    if (this.probeSentAt !== null) {
      if (now - this.probeSentAt > this.timings.answerTimeoutMs) this.restart('the server stopped answering');
      return;
    }
    const oldestMark = this.ledger.oldestSentAt;
    if (oldestMark !== null && now - oldestMark > this.timings.stuckMarkMs) return this.restart('a save mark went unanswered');
    if (now - heard >= this.timings.idlePingMs && this.probe()) this.probeSentAt = now;
  };
}
