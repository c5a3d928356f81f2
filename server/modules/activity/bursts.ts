/**
 * Coalesces edits into bursts: one `document.edited` event per user and document, ending
 * after `idleMs` without an edit from that user or `maxSpanMs` after it began.
 */
import type * as Y from 'yjs';
import type { UserIdentity } from '../../../shared/dto.ts';
import { CreatedRanges } from './created-ranges.ts';
import { appendExcerpt, type EditStats } from './edit-stats.ts';

/** A finished burst, ready to become an event. */
export interface Burst extends EditStats {
  documentId: string;
  actor: UserIdentity;
  startedAt: number;
  endedAt: number;
  deletedWords: number;
  /** Everything the burst created, to tell at its end what of it survived. */
  created: CreatedRanges;
  /** The edited fragment, while its document is open (what survived is read from it). */
  fragment: Y.XmlFragment | null;
}

interface OpenBurst extends Burst {
  timer: ReturnType<typeof setTimeout>;
}

/** Collects edits per (document, user) and hands each finished burst to `onBurst`. */
export class BurstCoalescer {
  private readonly open = new Map<string, OpenBurst>();

  constructor(
    private readonly idleMs: number,
    private readonly maxSpanMs: number,
    private readonly onBurst: (burst: Burst) => void,
  ) {}

  /** What the open burst of `actorId` on `documentId` created so far, if one is open. */
  createdBy(documentId: string, actorId: string): CreatedRanges | undefined {
    return this.open.get(`${documentId}\u0000${actorId}`)?.created;
  }

  /** Whether a burst on `documentId` is open (it reads the live document when it ends). */
  hasOpen(documentId: string): boolean {
    for (const burst of this.open.values()) if (burst.documentId === documentId) return true;
    return false;
  }

  /** Adds one transaction's changes by `actor` to their burst on `documentId`. */
  add(documentId: string, actor: UserIdentity, stats: EditStats, now = Date.now(), fragment: Y.XmlFragment | null = null): void {
    if (stats.inserted === 0 && stats.deleted === 0) return;
    const key = `${documentId}\u0000${actor.id}`;
    let burst = this.open.get(key);
    // A timer may fire late; an edit past the span starts the next burst instead of stretching this one.
    if (burst && now - burst.startedAt > this.maxSpanMs) {
      this.finish(key);
      burst = undefined;
    }
    if (burst) {
      clearTimeout(burst.timer);
      burst.inserted += stats.inserted;
      burst.deleted += stats.deleted;
      burst.deletedWords += stats.deletedWords ?? 0;
      if (stats.created) burst.created.addAll(stats.created);
      burst.excerpt = appendExcerpt(burst.excerpt, stats.excerpt);
      burst.endedAt = now;
      burst.actor = actor;
    } else {
      const created = new CreatedRanges();
      if (stats.created) created.addAll(stats.created);
      burst = { documentId, actor, ...stats, deletedWords: stats.deletedWords ?? 0, created, fragment, startedAt: now, endedAt: now, timer: undefined as never };
      this.open.set(key, burst);
    }
    // Ends at the idle deadline or the span deadline, whichever comes first.
    const spanLeft = burst.startedAt + this.maxSpanMs - now;
    if (spanLeft <= 0) return this.finish(key);
    burst.timer = setTimeout(() => this.finish(key), Math.min(this.idleMs, spanLeft));
  }

  /** Ends every open burst now (shutdown), or only those of one document (deletion). */
  flush(documentId?: string): void {
    for (const [key, burst] of this.open) {
      if (documentId === undefined || burst.documentId === documentId) this.finish(key);
    }
  }

  /** Drops a document's open bursts without recording them. */
  discard(documentId: string): void {
    for (const [key, burst] of this.open) {
      if (burst.documentId === documentId) {
        clearTimeout(burst.timer);
        this.open.delete(key);
      }
    }
  }

  private finish(key: string): void {
    const burst = this.open.get(key);
    if (!burst) return;
    clearTimeout(burst.timer);
    this.open.delete(key);
    const { timer: _timer, ...finished } = burst;
    this.onBurst(finished);
  }
}
