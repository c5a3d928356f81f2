/**
 * Edit-to-peer latency, measured entirely inside one process: writers record when each edit
 * left, readers in the same process record when the update carrying it arrived. An edit is
 * identified by its writer's Yjs client id and the clock after it, which survives servers that
 * re-encode updates (parseUpdateMeta reads the clock range of whatever arrives). Each client has
 * a home (the index of the server instance it is connected to), so a cluster's deliveries can be
 * split into same-instance and cross-instance ones.
 */
import * as Y from 'yjs';

interface WriterLog {
  clocks: number[];
  sentAt: number[];
  /** How many local readers still have not received each edit. */
  pending: number[];
  /** Local readers of this writer's document (every local client of it but the writer). */
  readerCount: number;
  /** The writer's own connection: some servers echo updates to their sender, which is no delivery. */
  self: object;
  /** Index of the server instance the writer is connected to. */
  home: number;
}

/** Latency samples collected by one process. */
export interface LatencySamples {
  /** One sample per (edit, receiving client): arrival minus send. */
  delivery: number[];
  /** One sample per edit: when the last local peer got it, minus send. */
  allPeers: number[];
  editsSent: number;
  /** Edits that some local peer never received before collection. */
  editsIncomplete: number;
  /** The delivery samples whose reader is connected to the writer's instance. */
  sameInstance: number[];
  /** The delivery samples whose reader is connected to another instance (they crossed the cluster bus). */
  crossInstance: number[];
  /** Deliveries that arrived while edits were still being recorded (the sustained rate's numerator). */
  deliveredWhileRecording: number;
  /** Updates that brought a reader only edits of a tracked writer it had already received. */
  duplicateUpdates: number;
}

/** Tracks edits of local writers and their arrival at local readers. */
export class EditLatencyTracker {
  private readonly writers = new Map<number, WriterLog>();
  /** Per receiving client: per writer client id, index of the next edit it has not received. */
  private readonly cursors = new Map<object, Map<number, number>>();
  private readonly delivery: number[] = [];
  private readonly allPeers: number[] = [];
  private readonly sameInstance: number[] = [];
  private readonly crossInstance: number[] = [];
  private deliveredWhileRecording = 0;
  private duplicateUpdates = 0;
  private recording = true;

  /** Declares a writer (connected to instance `home`) whose edits `readerCount` local clients should receive. */
  addWriter(clientId: number, readerCount: number, self: object, home = 0): void {
    this.writers.set(clientId, { clocks: [], sentAt: [], pending: [], readerCount, self, home });
  }

  /** Sets how many local clients should receive a writer's edits (clients may join after it). */
  setReaderCount(clientId: number, readerCount: number): void {
    const log = this.writers.get(clientId);
    if (log) log.readerCount = readerCount;
  }

  /** Records that a writer sent an edit after which its clock is `clockAfter`. */
  editSent(clientId: number, clockAfter: number, sentAt: number): void {
    const log = this.writers.get(clientId);
    if (!log || !this.recording) return;
    log.clocks.push(clockAfter);
    log.sentAt.push(sentAt);
    log.pending.push(log.readerCount);
  }

  /** Records an update that arrived at `reader` (connected to instance `readerHome`); matches it against pending edits. */
  updateReceived(reader: object, update: Uint8Array, receivedAt: number, readerHome = 0): void {
    const { to } = Y.parseUpdateMeta(update);
    for (const [clientId, clock] of to) {
      const log = this.writers.get(clientId);
      if (log && log.self !== reader) this.advance(reader, readerHome, clientId, log, clock, receivedAt);
    }
  }

  /**
   * Starts a new measurement window: earlier samples and edits are forgotten, so each window
   * (a rate step, say) reports only its own. Late arrivals of old edits match nothing new,
   * because a writer's clock only grows.
   */
  beginWindow(): void {
    this.recording = true;
    this.delivery.length = 0;
    this.allPeers.length = 0;
    this.sameInstance.length = 0;
    this.crossInstance.length = 0;
    this.deliveredWhileRecording = 0;
    this.duplicateUpdates = 0;
    this.cursors.clear();
    for (const log of this.writers.values()) {
      log.clocks = [];
      log.sentAt = [];
      log.pending = [];
    }
  }

  /** Stops counting new edits (the settle phase only lets in-flight ones arrive). */
  stopRecording(): void {
    this.recording = false;
  }

  /** The samples so far. */
  collect(): LatencySamples {
    let editsSent = 0;
    let editsIncomplete = 0;
    for (const log of this.writers.values()) {
      editsSent += log.clocks.length;
      editsIncomplete += log.pending.filter((count) => count > 0).length;
    }
    return {
      delivery: this.delivery,
      allPeers: this.allPeers,
      editsSent,
      editsIncomplete,
      sameInstance: this.sameInstance,
      crossInstance: this.crossInstance,
      deliveredWhileRecording: this.deliveredWhileRecording,
      duplicateUpdates: this.duplicateUpdates,
    };
  }

  private advance(reader: object, readerHome: number, clientId: number, log: WriterLog, clock: number, receivedAt: number): void {
    let perWriter = this.cursors.get(reader);
    if (!perWriter) this.cursors.set(reader, (perWriter = new Map()));
    let index = perWriter.get(clientId) ?? 0;
    // Nothing new from this writer although the reader already has some of this window's edits.
    if (index > 0 && clock <= (log.clocks[index - 1] ?? -1)) this.duplicateUpdates++;
    const route = log.home === readerHome ? this.sameInstance : this.crossInstance;
    while (index < log.clocks.length && (log.clocks[index] ?? Infinity) <= clock) {
      const latency = receivedAt - (log.sentAt[index] ?? receivedAt);
      this.delivery.push(latency);
      route.push(latency);
      if (this.recording) this.deliveredWhileRecording++;
      const remaining = (log.pending[index] ?? 1) - 1;
      log.pending[index] = remaining;
      if (remaining === 0) this.allPeers.push(latency);
      index++;
    }
    perWriter.set(clientId, index);
  }
}
