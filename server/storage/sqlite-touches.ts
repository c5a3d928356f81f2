/**
 * A document's "last edited" time and editor, kept up to date by the commits of its updates
 * with at most one write of its row per second while one person keeps typing. Writing the row
 * at every commit also rewrote its two indexes on that time (recency, and the search index's
 * queue): three of the five pages each keystroke's commit put into the write-ahead log.
 * A commit whose document was touched less than `TOUCH_EVERY_MS` ago by the same editor only
 * checks that the document is still there and leaves the row for later: for the next commit
 * past that second, for a timer a second on, or for `flush` (before closing). An edit by
 * someone else is written at once, so "edited by" changes hands without delay.
 */
import type { Database, Statement } from 'bun:sqlite';
import type { Logger } from '../logger.ts';
import type { UpdateToAppend } from './store.ts';

/** How long a document's row may lag behind its latest edit by the editor who last touched it. */
export const TOUCH_EVERY_MS = 1_000;

interface Touch {
  at: number;
  editorId: string | null;
}

/** The touches of one SQLite database's documents rows. */
export class DocumentTouches {
  private readonly touch: Statement;
  private readonly exists: Statement;
  /** The last touch written per document, while it is younger than `TOUCH_EVERY_MS`. */
  private readonly written = new Map<string, Touch>();
  /** Each document's latest edit not yet written to its row. */
  private readonly deferred = new Map<string, UpdateToAppend>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly db: Database,
    private readonly logger?: Logger,
  ) {
    this.touch = db.query('UPDATE documents SET updated_at = MAX(updated_at, ?), updated_by = COALESCE(?, updated_by) WHERE id = ? AND deleted_at IS NULL');
    this.exists = db.query('SELECT 1 FROM documents WHERE id = ? AND deleted_at IS NULL');
  }

  /**
   * Inside a commit's transaction: records each document's last edit of the batch, writing it
   * now or deferring it. Returns the documents still there (not deleted), whose updates may be stored.
   */
  record(lastEdits: Map<string, UpdateToAppend>): Set<string> {
    const present = new Set<string>();
    for (const [documentId, edit] of lastEdits) {
      const editorId = edit.editor?.id ?? null;
      const written = this.written.get(documentId);
      if (written && written.editorId === editorId && edit.at - written.at < TOUCH_EVERY_MS) {
        if (this.exists.get(documentId) === null) continue;
        present.add(documentId);
        this.deferred.set(documentId, edit);
      } else if (this.write(documentId, edit)) {
        present.add(documentId);
      }
    }
    if (this.written.size > 0) this.arm();
    return present;
  }

  /** Writes every deferred touch (before closing, and a second after it was deferred). */
  flush(): void {
    if (this.deferred.size === 0) return;
    this.db.transaction(() => {
      for (const [documentId, edit] of this.deferred) this.write(documentId, edit);
    })();
  }

  /** Stops the timer; `flush` first to keep what it would have written. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Writes one touch; false when the document is gone. */
  private write(documentId: string, edit: UpdateToAppend): boolean {
    this.deferred.delete(documentId);
    const editorId = edit.editor?.id ?? null;
    if (this.touch.run(edit.at, editorId, documentId).changes === 0) {
      this.written.delete(documentId);
      return false;
    }
    this.written.set(documentId, { at: edit.at, editorId });
    return true;
  }

  private readonly onTimer = (): void => {
    this.timer = null;
    try {
      this.flush();
    } catch (error) {
      // The database is busy (another process) or closing: the next commit or timer writes them.
      this.logger?.warn("writing documents' last-edited times failed; retrying", { documents: this.deferred.size, error });
    }
    // Touches older than the interval no longer defer anything.
    const now = Date.now();
    for (const [documentId, written] of this.written) if (now - written.at >= TOUCH_EVERY_MS) this.written.delete(documentId);
    if (this.written.size > 0 || this.deferred.size > 0) this.arm();
  };

  /** Runs `onTimer` in a second; it keeps no process alive (closing flushes). */
  private arm(): void {
    if (this.timer) return;
    this.timer = setTimeout(this.onTimer, TOUCH_EVERY_MS);
    this.timer.unref?.();
  }
}
