/**
 * Moves SQLite's WAL checkpoints off the server's event loop. SQLite checkpoints in the
 * connection whose commit takes the log past 1,000 pages: that commit copies every page into
 * the database file and syncs it, which stalled the event loop for 12-17 ms every couple of
 * hundred keystroke commits on this project's machines (every socket and request waited, and
 * the fan-out's p99 with them). Here the main connection never checkpoints; a worker thread with
 * a connection of its own runs PASSIVE checkpoints, which neither wait for nor block the writer,
 * and the writer reuses the log from its start once a checkpoint has copied all of it.
 * While edits stream in, commits land during nearly every checkpoint, so the log might never be
 * all copied at the start of a commit and would grow without bound; once it passes
 * `HOLD_AT_FRAMES`, the next commit waits (without blocking the event loop) for one checkpoint
 * asked for then, with no commit in between, and that commit starts the log over.
 * Should the thread fail, the main connection checkpoints itself again as SQLite does by default.
 */
import type { Database } from 'bun:sqlite';
import type { Logger } from '../logger.ts';

const WORKER_URL = new URL('./wal-checkpoint-worker.ts', import.meta.url).href;
/** SQLite's own threshold (pages), restored when the thread is gone. */
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;
/** How long closing waits for the thread to close its connection. */
const STOP_TIMEOUT_MS = 2_000;
/**
 * Commits between two nudges of the thread: a keystroke's commit adds about five pages to the
 * log, so this keeps it near SQLite's own threshold while edits stream in.
 */
const NUDGE_EVERY_COMMITS = 200;
/** A log that grew past this during a burst is cut back to it once reused (SQLite's journal_size_limit). */
const LOG_SIZE_LIMIT_BYTES = 32 * 1024 * 1024;
/** Log frames (pages) past which commits wait for a checkpoint of the whole log: 16 MiB of 4 KiB pages. */
const HOLD_AT_FRAMES = 4096;
/** The longest a commit waits for that checkpoint. */
const HOLD_TIMEOUT_MS = 1_000;

/** What the main thread tells the checkpoint thread; an asked checkpoint is answered with its `id`. */
export type CheckpointerCommand = { kind: 'start'; file: string; idleMs: number; busyMs: number } | { kind: 'checkpoint'; id?: number } | { kind: 'stop' };

/** A checkpoint's figures: pages in the log, pages copied, and whether another checkpoint was in the way. */
export interface CheckpointFigures {
  log: number;
  checkpointed: number;
  busy: boolean;
}

/** What the checkpoint thread reports: checkpoints (those asked for with the request's id), a failure, its end. */
export type CheckpointerReport = ({ kind: 'checkpointed'; answers?: number } & CheckpointFigures) | { kind: 'failed'; message: string } | { kind: 'stopped' };

export interface WalCheckpointerOptions {
  /** Pause between checkpoints once the log is all copied (writes other than commits of updates wait at most this). */
  idleMs?: number;
  /** Pause while the log grows faster than a checkpoint copies it. */
  busyMs?: number;
  logger?: Logger;
}

/** The main thread's side: starts the checkpoint thread for one database file. */
export class WalCheckpointer {
  private readonly worker: Worker;
  private running = true;
  private stopping: Promise<void> | null = null;
  private commitsSinceNudge = 0;
  /** The checkpoint a commit waits for (`holdForCheckpoint`). */
  private held: Promise<void> | null = null;
  private lastAskId = 0;
  /** Who waits for which answer: an asked checkpoint's id, or 'stopped'. */
  private readonly waiters = new Map<number | 'stopped', (figures: CheckpointFigures | null) => void>();
  /** Log size (pages) at which the next commit waits; raised past a log a hold could not restart. */
  private holdAtFrames = HOLD_AT_FRAMES;
  /** Checkpoints that copied pages into the database file. */
  checkpoints = 0;
  /** Waits for a checkpoint of the whole log after which the log started over. */
  restartsAfterWait = 0;
  /** The last checkpoint's figures (log equal to checkpointed: the whole log is in the file). */
  private last: CheckpointFigures | null = null;

  /** Starts the thread; null (SQLite checkpoints as usual) when no thread can be started. */
  static start(db: Database, file: string, options: WalCheckpointerOptions = {}): WalCheckpointer | null {
    try {
      return new WalCheckpointer(db, file, options);
    } catch (error) {
      options.logger?.warn('SQLite checkpoints stay on the event loop: no checkpoint thread', { error });
      return null;
    }
  }

  private constructor(
    private readonly db: Database,
    file: string,
    private readonly options: WalCheckpointerOptions,
  ) {
    // Created first: should it throw, the connection keeps SQLite's own checkpoints.
    this.worker = new Worker(WORKER_URL);
    // A checkpoint thread must not keep a stopping process alive. (Bun's Worker has unref; the
    // DOM library the project also loads types the global as the browser's, which has not.)
    (this.worker as unknown as Bun.Worker).unref();
    this.worker.addEventListener('message', (event: MessageEvent<CheckpointerReport>) => this.report(event.data));
    this.worker.addEventListener('error', (event) => this.fallBack(`checkpoint thread failed: ${event.message}`));
    this.worker.addEventListener('close', () => this.fallBack('checkpoint thread exited'));
    db.exec('PRAGMA wal_autocheckpoint = 0');
    db.exec(`PRAGMA journal_size_limit = ${LOG_SIZE_LIMIT_BYTES}`);
    this.send({ kind: 'start', file, idleMs: options.idleMs ?? 1_000, busyMs: options.busyMs ?? 50 });
  }

  /** Whether the thread runs the checkpoints (false once it failed or was stopped). */
  get active(): boolean {
    return this.running;
  }

  /** Whether the log grew so long that the next commit should wait for it to be copied whole (`holdForCheckpoint`). */
  get logTooLong(): boolean {
    return this.running && (this.last?.log ?? 0) >= this.holdAtFrames;
  }

  /**
   * Resolves once the thread answered a checkpoint asked for now, or after `HOLD_TIMEOUT_MS`.
   * Called by a commit before it writes: with no commit in between, the checkpoint copies the
   * whole log, and that commit starts it over. When it could not (a reader held part of the
   * log, another checkpoint was running), commits wait again only once the log grew by as much.
   */
  holdForCheckpoint(): Promise<void> {
    this.held ??= this.ask({ kind: 'checkpoint', id: ++this.lastAskId }, this.lastAskId, HOLD_TIMEOUT_MS).then((figures) => {
      this.held = null;
      const restarts = figures !== null && !figures.busy && figures.checkpointed === figures.log;
      if (restarts) {
        this.restartsAfterWait++;
        // The figures are of the log before the restart that the next commit makes.
        this.last = null;
        this.holdAtFrames = HOLD_AT_FRAMES;
      } else {
        this.holdAtFrames = (figures?.log ?? this.last?.log ?? 0) + HOLD_AT_FRAMES;
      }
    });
    return this.held;
  }

  /** A commit went into the log: every `NUDGE_EVERY_COMMITS` the thread is asked for a checkpoint. */
  committed(): void {
    if (!this.running || ++this.commitsSinceNudge < NUDGE_EVERY_COMMITS) return;
    this.commitsSinceNudge = 0;
    this.send({ kind: 'checkpoint' });
  }

  /** Stops the thread after it closed its connection, so closing the main one can remove the log. */
  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    const wasRunning = this.running;
    // From now on no commit waits for the thread, and none waiting still does.
    this.running = false;
    this.releaseWaiters('stopped');
    this.stopping = (wasRunning ? this.ask({ kind: 'stop' }, 'stopped', STOP_TIMEOUT_MS) : Promise.resolve(null)).then(() => {
      this.worker.terminate();
    });
    return this.stopping;
  }

  private send(command: CheckpointerCommand): void {
    this.worker.postMessage(command);
  }

  /** Sends `command` and resolves with the thread's answer, or with null after `timeoutMs` or once the thread is gone. */
  private ask(command: CheckpointerCommand, answer: number | 'stopped', timeoutMs: number): Promise<CheckpointFigures | null> {
    return new Promise((resolve) => {
      const waiters = this.waiters;
      const timer = setTimeout(() => done(null), timeoutMs);
      function done(figures: CheckpointFigures | null): void {
        clearTimeout(timer);
        waiters.delete(answer);
        resolve(figures);
      }
      waiters.set(answer, done);
      this.send(command);
    });
  }

  private report(report: CheckpointerReport): void {
    if (report.kind === 'failed') return this.fallBack(`checkpoint thread failed: ${report.message}`);
    if (report.kind === 'stopped') return this.waiters.get('stopped')?.(null);
    const figures = { log: report.log, checkpointed: report.checkpointed, busy: report.busy };
    if (report.checkpointed > 0) this.checkpoints++;
    this.last = figures;
    if (report.answers !== undefined) this.waiters.get(report.answers)?.(figures);
  }

  /** Lets every commit waiting for a checkpoint go (except `keep`'s waiter). */
  private releaseWaiters(keep?: 'stopped'): void {
    for (const [answer, done] of [...this.waiters]) if (answer !== keep) done(null);
  }

  /** The thread is gone: the main connection checkpoints again, so the log cannot grow without bound. */
  private fallBack(reason: string): void {
    // Gone while stopping: nothing to fall back to, only a stop to stop waiting for.
    if (!this.running) return this.releaseWaiters();
    this.running = false;
    this.worker.terminate();
    this.releaseWaiters();
    try {
      this.db.exec(`PRAGMA wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
    } catch {
      // The database was closed meanwhile: nothing left to checkpoint.
    }
    this.options.logger?.warn('SQLite checkpoints run on the event loop again', { reason });
  }
}
