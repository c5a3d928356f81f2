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
 * to copy the whole log, and restarts it.
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

/** What the main thread tells the checkpoint thread. */
export type CheckpointerCommand = { kind: 'start'; file: string; idleMs: number; busyMs: number } | { kind: 'checkpoint' } | { kind: 'stop' };

/** What the checkpoint thread reports: each checkpoint that copied pages, and its end. */
export type CheckpointerReport = { kind: 'checkpointed'; log: number; checkpointed: number } | { kind: 'failed'; message: string } | { kind: 'stopped' };

/** The reports a command is answered by. */
type Answer = 'checkpointed' | 'stopped';

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
  /** Who waits for the thread's next answer of each kind. */
  private readonly waiters = new Map<Answer, () => void>();
  /** Checkpoints that copied pages into the database file. */
  checkpoints = 0;
  /** The last checkpoint's log size and pages copied (equal: the whole log is in the file). */
  last: { log: number; checkpointed: number } | null = null;

  constructor(
    private readonly db: Database,
    file: string,
    private readonly options: WalCheckpointerOptions = {},
  ) {
    db.exec('PRAGMA wal_autocheckpoint = 0');
    db.exec(`PRAGMA journal_size_limit = ${LOG_SIZE_LIMIT_BYTES}`);
    this.worker = new Worker(WORKER_URL);
    // A checkpoint thread must not keep a stopping process alive. (Bun's Worker has unref; the
    // DOM library the project also loads types the global as the browser's, which has not.)
    (this.worker as unknown as Bun.Worker).unref();
    this.worker.addEventListener('message', (event: MessageEvent<CheckpointerReport>) => this.report(event.data));
    this.worker.addEventListener('error', (event) => this.fallBack(`checkpoint thread failed: ${event.message}`));
    this.worker.addEventListener('close', () => this.fallBack('checkpoint thread exited'));
    const start: CheckpointerCommand = { kind: 'start', file, idleMs: options.idleMs ?? 1_000, busyMs: options.busyMs ?? 50 };
    this.worker.postMessage(start);
  }

  /** Whether the thread runs the checkpoints (false once it failed or was stopped). */
  get active(): boolean {
    return this.running;
  }

  /** Whether the log grew so long that the next commit should wait for it to be copied whole (`holdForCheckpoint`). */
  get logTooLong(): boolean {
    return this.running && (this.last?.log ?? 0) >= HOLD_AT_FRAMES;
  }

  /**
   * Resolves once the thread answered a checkpoint asked for now, or after `HOLD_TIMEOUT_MS`.
   * Called by a commit before it writes: with no commit in between, the checkpoint copies the
   * whole log, and that commit starts it over.
   */
  holdForCheckpoint(): Promise<void> {
    this.held ??= this.ask({ kind: 'checkpoint' }, 'checkpointed', HOLD_TIMEOUT_MS).then(() => {
      this.held = null;
      // Its figures are the log before the restart that the next commit makes.
      this.last = null;
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
    this.stopping ??= this.ask({ kind: 'stop' }, 'stopped', STOP_TIMEOUT_MS).then(() => {
      this.running = false;
      this.worker.terminate();
    });
    return this.stopping;
  }

  private send(command: CheckpointerCommand): void {
    this.worker.postMessage(command);
  }

  /** Sends `command` and resolves on the thread's `answer`, after `timeoutMs`, or at once when the thread is gone. */
  private ask(command: CheckpointerCommand, answer: Answer, timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      if (!this.running) return resolve();
      const timer = setTimeout(done, timeoutMs);
      const waiters = this.waiters;
      function done(): void {
        clearTimeout(timer);
        waiters.delete(answer);
        resolve();
      }
      waiters.set(answer, done);
      this.send(command);
    });
  }

  private report(report: CheckpointerReport): void {
    if (report.kind === 'checkpointed') {
      if (report.checkpointed > 0) this.checkpoints++;
      this.last = { log: report.log, checkpointed: report.checkpointed };
    } else if (report.kind === 'failed') {
      return this.fallBack(`checkpoint thread failed: ${report.message}`);
    }
    this.waiters.get(report.kind)?.();
  }

  /** The thread is gone: the main connection checkpoints again, so the log cannot grow without bound. */
  private fallBack(reason: string): void {
    if (!this.running || this.stopping) return;
    this.running = false;
    this.worker.terminate();
    for (const done of [...this.waiters.values()]) done();
    try {
      this.db.exec(`PRAGMA wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
    } catch {
      // The database was closed meanwhile: nothing left to checkpoint.
    }
    this.options.logger?.warn('SQLite checkpoints run on the event loop again', { reason });
  }
}
