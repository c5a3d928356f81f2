/**
 * Write-before-broadcast: every document update is committed to storage before any peer sees
 * it. Updates arriving in one event-loop turn, from any document, are committed together in
 * one transaction, and so are those of a run of turns that keep bringing more (up to
 * `GROUP_COMMIT_MS`), so durability costs one commit per turn at most rather than one per
 * keystroke, and far fewer under a stream.
 * When a commit fails the batch stays in memory and is retried; nothing is broadcast meanwhile.
 * An update may be handed over still growing (a function): the writer takes its bytes when the
 * commit starts, so everything a room receives from one sender in one turn is one row.
 */
import type { UserRef } from '../../shared/dto.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../storage/store.ts';

/** Called once the update is durable, with its stored id (0 if its document is gone) and the bytes stored. */
export type CommitCallback = (storedId: number, data: Uint8Array) => void;

/** An update's bytes, or what gives them once its commit starts (nothing may be added after). */
export type UpdateData = Uint8Array | (() => Uint8Array);

interface PendingUpdate {
  documentId: string;
  data: UpdateData;
  editor: UserRef | null;
  at: number;
  /** `performance.now()` when queued: how long it waited to reach peers. */
  queuedAt: number;
  onCommitted: CommitCallback;
}

/** What the writer reports as it works (metrics); every member is called synchronously. */
export interface WriterObserver {
  queued(bytes: number): void;
  /** A batch of `updates` was committed in `seconds`. */
  committed(updates: number, seconds: number): void;
  /** An update's commit callback (its broadcast) ran, `seconds` after it was queued. */
  delivered(seconds: number): void;
}

/**
 * Longest a commit waits for updates that keep arriving. Under a continuous stream that is at
 * most one commit a millisecond (a commit costs about 50 µs); an edit's way to its peers grows by
 * at most this much, and only while its sender or another client is sending without a pause.
 */
const GROUP_COMMIT_MS = 1;
const RETRY_MIN_MS = 50;
const RETRY_MAX_MS = 5000;

/** Batches update commits per event-loop turn and retries failed commits. */
export class UpdateWriter {
  private queue: PendingUpdate[] = [];
  private flushing = false;
  private scheduled = false;
  /** Queue length when the commit check was armed: more since means more is arriving. */
  private queuedWhenArmed = 0;
  private retryDelay = RETRY_MIN_MS;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private idleWaiters: (() => void)[] = [];
  /** Work to run at the end of this turn, before its commit (connections' held updates). */
  private turnEndTasks: (() => void)[] = [];
  private turnEndScheduled = false;
  private inTurnEnd = false;
  /** The last commit error while commits are failing; null when healthy. */
  failure: Error | null = null;

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly observer: WriterObserver | null = null,
  ) {}

  /** Queues an update; `onCommitted` runs after it is durable, in queue order. */
  enqueue(documentId: string, data: UpdateData, editor: UserRef | null, onCommitted: CommitCallback): void {
    this.queue.push({ documentId, data, editor, at: Date.now(), queuedAt: performance.now(), onCommitted });
    if (typeof data !== 'function') this.observer?.queued(data.byteLength);
    this.schedule();
  }

  /**
   * Runs `task` at the end of this event-loop turn, then commits what it enqueued in the same
   * turn end: a connection that holds its updates for the turn adds no turn to their way out.
   */
  atTurnEnd(task: () => void): void {
    this.turnEndTasks.push(task);
    if (this.turnEndScheduled) return;
    this.turnEndScheduled = true;
    setImmediate(this.endTurn);
  }

  private readonly endTurn = (): void => {
    this.turnEndScheduled = false;
    const tasks = this.turnEndTasks;
    this.turnEndTasks = [];
    this.inTurnEnd = true;
    try {
      for (const task of tasks) {
        try {
          task();
        } catch (error) {
          this.logger.error('a task at the end of a turn failed', { error });
        }
      }
    } finally {
      this.inTurnEnd = false;
    }
    if (this.queue.length > 0) this.schedule();
  };

  /** Number of updates not yet durable. */
  get pending(): number {
    return this.queue.length;
  }

  /** Resolves once everything queued so far is committed (waits through retries). */
  idle(): Promise<void> {
    if (this.queue.length === 0 && !this.flushing) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Arms the check that commits the queue. It runs in the next event-loop turn, and while more
   * updates keep arriving turn after turn (a replayed paste, a reconnect's backlog, a fast
   * client) it waits for them, up to `GROUP_COMMIT_MS`: one commit for the run instead of one
   * per turn, and the rooms merge each sender's updates meanwhile into one row and one
   * broadcast. A lone edit waits for one empty turn only.
   */
  private schedule(): void {
    if (this.scheduled || this.flushing || this.retryTimer || this.inTurnEnd) return;
    this.scheduled = true;
    this.queuedWhenArmed = this.queue.length;
    setImmediate(this.check);
  }

  private readonly check = (): void => {
    this.scheduled = false;
    // Updates held for this turn's end (`atTurnEnd`) or queued since the check was armed.
    const moreArriving = this.turnEndScheduled || this.queue.length > this.queuedWhenArmed;
    const oldest = this.queue[0];
    if (moreArriving && oldest && performance.now() - oldest.queuedAt < GROUP_COMMIT_MS) return this.schedule();
    void this.flush();
  };

  private async flush(): Promise<void> {
    if (this.flushing || this.queue.length === 0) return;
    this.flushing = true;
    const batch = this.queue;
    this.queue = [];
    const rows = batch.map((update) => ({ ...update, data: this.bytesOf(update) }));
    let ids: number[] | null = null;
    const startedAt = performance.now();
    try {
      ids = await this.store.appendUpdates(rows);
      this.observer?.committed(batch.length, (performance.now() - startedAt) / 1000);
      this.recovered();
    } catch (error) {
      this.queue = batch.concat(this.queue);
      this.failed(error, batch.length);
    } finally {
      this.flushing = false;
    }
    // Outside the try: a throwing callback must neither re-append a committed batch nor keep
    // the callbacks after it (the broadcasts of other updates) from running.
    if (ids) rows.forEach((update, index) => this.committed(update, ids[index] ?? 0));
    if (this.queue.length > 0) this.schedule();
    else this.notifyIdle();
  }

  /** An update's bytes, taken once (a failed commit retries with the same bytes). */
  private bytesOf(update: PendingUpdate): Uint8Array {
    if (typeof update.data === 'function') {
      update.data = update.data();
      this.observer?.queued(update.data.byteLength);
    }
    return update.data;
  }

  private committed(update: PendingUpdate & { data: Uint8Array }, storedId: number): void {
    try {
      update.onCommitted(storedId, update.data);
      this.observer?.delivered((performance.now() - update.queuedAt) / 1000);
    } catch (error) {
      this.logger.error('handling a committed update failed', { documentId: update.documentId, error });
    }
  }

  private failed(error: unknown, batchSize: number): void {
    this.failure = error instanceof Error ? error : new Error(String(error));
    this.logger.error('storing document updates failed; keeping them in memory and retrying', {
      error: this.failure,
      pendingUpdates: this.queue.length,
      batchSize,
      retryInMs: this.retryDelay,
    });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.flush();
    }, this.retryDelay);
    this.retryDelay = Math.min(this.retryDelay * 2, RETRY_MAX_MS);
  }

  private recovered(): void {
    if (this.failure) this.logger.info('storing document updates works again', { pendingUpdates: this.queue.length });
    this.failure = null;
    this.retryDelay = RETRY_MIN_MS;
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Stops retry timers (after `idle()` on shutdown). */
  close(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}
