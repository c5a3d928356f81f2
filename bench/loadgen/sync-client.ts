/**
 * One headless collaborator: a WebSocket speaking a server's dialect through a WireAdapter.
 * With a Y.Doc it is a full replica (applies what it receives, answers step 1 with a real diff);
 * without one it is a light observer that only reports the updates it receives, which keeps the
 * load generator cheap enough to drive hundreds of connections on a 2-core machine.
 */
import * as Y from 'yjs';
import { encodeQueryAwareness, encodeStep1, encodeStep2, encodeUpdate, EMPTY_STATE_VECTOR, EMPTY_UPDATE } from '../protocol/messages.ts';
import type { WireAdapter } from '../protocol/adapters.ts';

/** Where and how a client connects. */
export interface SyncClientOptions {
  baseUrl: string;
  documentId: string;
  token: string;
  adapter: WireAdapter;
  /** A replica document; omitted for a light observer. */
  doc?: Y.Doc;
  /** Called with every update received (step 2 or incremental), after it was applied. */
  onRemoteUpdate?: (update: Uint8Array, receivedAt: number) => void;
}

/** A connected collaborator. `synced` resolves after the initial exchange completes. */
export class SyncClient {
  readonly synced: Promise<void>;
  /** performance.now() when the socket opened and when the initial sync completed. */
  openedAt = 0;
  syncedAt = 0;
  closeCode: number | null = null;
  private readonly socket: WebSocket;
  private resolveSynced: () => void = () => {};
  private awarenessWaiters: (() => void)[] = [];
  private rejectSynced: (error: Error) => void = () => {};

  constructor(private readonly options: SyncClientOptions) {
    this.synced = new Promise((resolve, reject) => {
      this.resolveSynced = resolve;
      this.rejectSynced = reject;
    });
    const { adapter, baseUrl, documentId, token } = options;
    this.socket = new WebSocket(adapter.url(baseUrl, documentId, token));
    this.socket.binaryType = 'arraybuffer';
    this.socket.onopen = () => this.handleOpen();
    this.socket.onmessage = (event) => this.handleFrame(new Uint8Array(event.data as ArrayBuffer));
    this.socket.onclose = (event) => {
      this.closeCode = event.code;
      this.rejectSynced(new Error(`socket closed (${event.code} ${event.reason}) before sync`));
    };
    this.socket.onerror = () => this.rejectSynced(new Error('socket error before sync'));
  }

  get documentId(): string {
    return this.options.documentId;
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** Bytes queued in the socket but not yet written; senders use it to pace themselves. */
  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  /** Sends a document update produced locally. */
  sendUpdate(update: Uint8Array): void {
    this.send(encodeUpdate(update));
  }

  /**
   * Resolves once the server has handled everything this client sent so far: it answers a
   * query for awareness states in order, after the updates before it (any awareness frame counts,
   * so call it only where no one else announces awareness).
   */
  roundTrip(): Promise<void> {
    const answered = new Promise<void>((resolve) => this.awarenessWaiters.push(resolve));
    this.send(encodeQueryAwareness());
    return answered;
  }

  close(): void {
    this.socket.onclose = null;
    this.socket.onmessage = null;
    this.socket.close();
  }

  private send(message: Uint8Array): void {
    this.socket.send(this.options.adapter.wrap(this.options.documentId, message));
  }

  private handleOpen(): void {
    this.openedAt = performance.now();
    const { adapter, documentId, token } = this.options;
    for (const frame of adapter.openingFrames(documentId, token)) this.socket.send(frame);
    if (!adapter.serverAnswersSync) return this.markSynced();
    if (!adapter.needsAuthAck) this.startSync();
  }

  private startSync(): void {
    const doc = this.options.doc;
    this.send(encodeStep1(doc ? Y.encodeStateVector(doc) : EMPTY_STATE_VECTOR));
  }

  private markSynced(): void {
    if (this.syncedAt) return;
    this.syncedAt = performance.now();
    this.resolveSynced();
  }

  private handleFrame(frame: Uint8Array): void {
    const message = this.options.adapter.unwrap(frame);
    switch (message.kind) {
      case 'authenticated':
        return this.startSync();
      case 'denied':
        return this.rejectSynced(new Error(`permission denied: ${message.reason}`));
      case 'ping': {
        const pong = this.options.adapter.pong(this.options.documentId);
        if (pong) this.socket.send(pong);
        return;
      }
      case 'step1': {
        const doc = this.options.doc;
        // A relay forwards other clients' step 1; answering would only add N² chatter to the floor.
        if (!this.options.adapter.serverAnswersSync) return;
        return this.send(encodeStep2(doc ? Y.encodeStateAsUpdate(doc, message.stateVector) : EMPTY_UPDATE));
      }
      case 'step2':
        this.receive(message.update);
        return this.markSynced();
      case 'update':
        return this.receive(message.update);
      case 'awareness': {
        const waiters = this.awarenessWaiters;
        this.awarenessWaiters = [];
        for (const resolve of waiters) resolve();
        return;
      }
      default:
        return;
    }
  }

  private receive(update: Uint8Array): void {
    const receivedAt = performance.now();
    if (this.options.doc) Y.applyUpdate(this.options.doc, update, this);
    this.options.onRemoteUpdate?.(update, receivedAt);
  }
}
