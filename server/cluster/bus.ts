/**
 * The cluster bus over Redis pub/sub (ioredis: Bun's RedisClient cannot yet subscribe to binary
 * messages). One channel per open document, one global channel for deletions and activity.
 * Publishing never queues while Redis is down: what is missed is resynced on reconnect.
 */
import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { Logger } from '../logger.ts';
import { decodeClusterMessage, encodeClusterMessage, type ClusterMessage } from './messages.ts';

const GLOBAL_CHANNEL = 'quire:global';
const documentChannel = (documentId: string) => `quire:doc:${documentId}`;

/** Receives messages of other instances. */
export type ClusterHandler = (message: ClusterMessage) => void;

/** Redis-backed messaging between instances. */
export class ClusterBus {
  readonly instanceId = randomUUID();
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly documentHandlers = new Map<string, ClusterHandler>();
  private readonly globalHandlers: ClusterHandler[] = [];
  private readonly reconnectHandlers: (() => void)[] = [];
  private wasReady = false;
  private lostConnection = false;

  /**
   * Connects to Redis at `url`. ioredis is loaded only here: a single instance without
   * `REDIS_URL` never carries it (about 19 MiB of resident memory).
   */
  static async connect(url: string, logger: Logger): Promise<ClusterBus> {
    const { default: RedisClient } = await import('ioredis');
    return new ClusterBus(RedisClient, url, logger);
  }

  private constructor(
    RedisClient: typeof Redis,
    url: string,
    private readonly logger: Logger,
  ) {
    const options = {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000),
    };
    this.publisher = new RedisClient(url, options);
    this.subscriber = new RedisClient(url, { ...options, enableOfflineQueue: true });
    this.subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => this.receive(channel.toString(), message));
    for (const client of [this.publisher, this.subscriber]) {
      client.on('error', (error: Error) => this.logger.debug('redis error', { error: error.message }));
      client.on('close', () => this.onDisconnect());
      client.on('ready', () => this.onReady());
    }
  }

  /** Resolves once both connections are ready (start-up), rejecting after `timeoutMs`. */
  async ready(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.healthy) {
      if (Date.now() > deadline) throw new Error('REDIS_URL: could not connect to Redis');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await this.subscriber.subscribe(GLOBAL_CHANNEL);
  }

  /** Whether both Redis connections are up. */
  get healthy(): boolean {
    return this.publisher.status === 'ready' && this.subscriber.status === 'ready';
  }

  /** Adds a handler of messages on the global channel (deletions, activity news). */
  onGlobal(handler: ClusterHandler): void {
    this.globalHandlers.push(handler);
  }

  /** Adds a handler called after Redis comes back, so what was missed can be resynced. */
  onReconnect(handler: () => void): void {
    this.reconnectHandlers.push(handler);
  }

  /** Starts receiving a document's messages. */
  async join(documentId: string, handler: ClusterHandler): Promise<void> {
    this.documentHandlers.set(documentId, handler);
    await this.subscriber.subscribe(documentChannel(documentId));
  }

  async leave(documentId: string): Promise<void> {
    this.documentHandlers.delete(documentId);
    await this.subscriber.unsubscribe(documentChannel(documentId)).catch(() => undefined);
  }

  publishDocument(message: Omit<ClusterMessage, 'sender'>): void {
    this.publish(documentChannel(message.documentId), message);
  }

  publishGlobal(message: Omit<ClusterMessage, 'sender'>): void {
    this.publish(GLOBAL_CHANNEL, message);
  }

  async close(): Promise<void> {
    this.publisher.disconnect();
    this.subscriber.disconnect();
  }

  private publish(channel: string, message: Omit<ClusterMessage, 'sender'>): void {
    const bytes = encodeClusterMessage({ ...message, sender: this.instanceId });
    this.publisher.publish(channel, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).catch((error: Error) => {
      // Missed while Redis is away; the reconnect resync brings peers up to date.
      this.logger.debug('redis publish failed', { channel, error: error.message });
    });
  }

  private receive(channel: string, bytes: Buffer): void {
    const message = decodeClusterMessage(bytes);
    if (!message || message.sender === this.instanceId) return;
    if (channel === GLOBAL_CHANNEL) {
      for (const handler of this.globalHandlers) handler(message);
      return;
    }
    this.documentHandlers.get(message.documentId)?.(message);
  }

  private onDisconnect(): void {
    if (this.wasReady && !this.lostConnection) {
      this.lostConnection = true;
      this.logger.warn('lost the connection to Redis; serving local connections only until it is back');
    }
  }

  private onReady(): void {
    if (!this.healthy) return;
    this.wasReady = true;
    if (this.lostConnection) {
      this.lostConnection = false;
      this.logger.info('Redis is back; resyncing open documents');
      for (const handler of this.reconnectHandlers) handler();
    }
  }
}
