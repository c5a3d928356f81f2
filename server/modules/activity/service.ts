/**
 * Records activity: document lifecycle events from the documents service and coalesced edit
 * bursts from the sync rooms, attributed to the session of the connection that made them.
 * Events are stored first (giving them their ids), then handed to the live hub.
 */
import type * as Y from 'yjs';
import type { ActivityEvent, NewActivityEvent } from '../../../shared/activity.ts';
import type { Page, UserIdentity } from '../../../shared/dto.ts';
import { DOCUMENT_FRAGMENT } from '../../../shared/protocol.ts';
import type { Logger } from '../../logger.ts';
import type { DocumentRecord, Reader, Store } from '../../storage/store.ts';
import type { Connection } from '../../sync/connection.ts';
import type { RoomObserver } from '../../sync/room-contract.ts';
import type { Room } from '../../sync/room.ts';
import type { DocumentListener } from '../documents/service.ts';
import { countWords } from '../../../shared/words.ts';
import type { RevisionCounts } from '../history/service.ts';
import { survivingText } from './burst-text.ts';
import { BurstCoalescer, type Burst } from './bursts.ts';
import { editStats } from './edit-stats.ts';
import type { ActivityHub } from './hub.ts';

/** Stores the revision that ends a burst (history); it takes the document's pending changes when called. */
export interface BurstRevisions {
  recordEdit(documentId: string, actor: UserIdentity, counts: RevisionCounts): Promise<{ id: number } | null>;
}

/** The activity feature, independent of HTTP. */
export class ActivityService implements DocumentListener, RoomObserver {
  private readonly bursts: BurstCoalescer;
  /** Serialises writes so events reach readers in id order. */
  private writing: Promise<void> = Promise.resolve();
  /** Where each burst's revision is stored; set once history exists (it needs the rooms this observes). */
  revisions: BurstRevisions | null = null;

  constructor(
    private readonly store: Store,
    readonly hub: ActivityHub,
    private readonly logger: Logger,
    burstIdleMs: number,
    burstMaxSpanMs: number,
    /** Hands stored events to readers: straight to the local hub (with their documents' rules), or through the cluster. */
    private readonly announce: (events: ActivityEvent[]) => void | Promise<void> = async (events) =>
      hub.publish(events, await store.access.rules(events.map((event) => event.documentId))),
  ) {
    this.bursts = new BurstCoalescer(burstIdleMs, burstMaxSpanMs, (burst) => this.recordBurst(burst));
  }

  created(document: DocumentRecord, actor: UserIdentity): void {
    this.record([this.event(document.id, document.title, actor, { type: 'document.created', details: {} })]);
  }

  renamed(document: DocumentRecord, from: string, actor: UserIdentity): void {
    this.bursts.flush(document.id);
    this.record([this.event(document.id, document.title, actor, { type: 'document.renamed', details: { from, to: document.title } })]);
  }

  deleted(document: DocumentRecord, actor: UserIdentity): void {
    this.bursts.flush(document.id);
    this.record([this.event(document.id, document.title, actor, { type: 'document.deleted', details: {} })]);
  }

  /**
   * Room hook: types the edited fragment before any peer changes it. Until something asks for
   * it by type, Yjs keeps a root it learns from an update untyped and emits no change events for
   * it, so the first edit after the document loads would go uncounted.
   */
  onDocumentLoaded(_room: Room, doc: Y.Doc): void {
    doc.getXmlFragment(DOCUMENT_FRAGMENT);
  }

  /** Room hook: an open burst reads what it made from the live document when it ends. */
  holdsDocument(room: Room): boolean {
    return this.bursts.hasOpen(room.id);
  }

  /** Room hook: counts what a connection's transaction changed in the edited fragment. */
  onTransaction(room: Room, transaction: Y.Transaction, origin: Connection): void {
    const fragment = room.doc.getXmlFragment(DOCUMENT_FRAGMENT);
    // Deleting what the same burst typed is undoing, not deleting: the burst says what it made.
    const stats = editStats(transaction, fragment, this.bursts.createdBy(room.id, origin.user.id));
    this.bursts.add(room.id, origin.user, stats, Date.now(), fragment);
  }

  /** Room hook: the document leaves memory; its open bursts end now, while what they made can still be read. */
  onClose(room: Room): void {
    this.bursts.flush(room.id);
  }

  /** History hook: a document was restored to a revision. */
  restored(document: DocumentRecord, revisionId: number, actor: UserIdentity): void {
    this.bursts.flush(document.id);
    this.record([this.event(document.id, document.title, actor, { type: 'document.restored', details: { revisionId } })]);
  }

  /** Newest first, paged by id; with a reader, only events of documents it may read. */
  async list(documentId: string | null, before: number | null, limit: number, reader: Reader | null): Promise<Page<ActivityEvent>> {
    const events = await this.store.listActivity({ documentId, before, limit: limit + 1, reader });
    const items = events.slice(0, limit);
    const last = items[items.length - 1];
    return { items, nextCursor: events.length > limit && last ? String(last.id) : null };
  }

  /** Stored events after `afterId`, oldest first (stream resume); with a reader, only what it may read. */
  since(afterId: number, documentId: string | null, limit: number, reader: Reader | null): Promise<ActivityEvent[]> {
    return this.store.activitySince(afterId, documentId, limit, reader);
  }

  /** Ends open bursts and waits until every event is stored (shutdown). */
  async flush(): Promise<void> {
    this.bursts.flush();
    await this.writing;
  }

  /**
   * A burst ended: what it left standing is read now from the live document (net of what it
   * undid), its revision taken now (it holds the changes up to this moment), and the event stored
   * with both. A burst that left nothing and deleted nothing is no news and records nothing.
   */
  private recordBurst(burst: Burst): void {
    const fragment = burst.fragment && !burst.fragment.doc?.isDestroyed ? burst.fragment : null;
    const made = fragment ? survivingText(fragment, burst.created) : { chars: burst.inserted, words: countWords(burst.excerpt), excerpt: burst.excerpt.trim() };
    if (made.chars === 0 && burst.deleted === 0) return;
    const counts = { inserted: made.chars, deleted: burst.deleted, wordsInserted: made.words, wordsDeleted: burst.deletedWords };
    const revision = this.revisions?.recordEdit(burst.documentId, burst.actor, counts).catch(() => null) ?? Promise.resolve(null);
    this.writing = this.writing.then(async () => {
      const stored = await revision;
      const document = await this.store.getDocument(burst.documentId);
      if (!document) return; // deleted meanwhile: its deletion is the last word
      const event = this.event(document.id, document.title, burst.actor, {
        type: 'document.edited',
        details: {
          inserted: counts.inserted,
          deleted: counts.deleted,
          words: { inserted: counts.wordsInserted, deleted: counts.wordsDeleted },
          excerpt: made.excerpt,
          ...(stored ? { revisionId: stored.id } : {}),
        },
      });
      await this.persist([event]);
    }).catch((error: unknown) => this.logger.error('recording an edit burst failed', { documentId: burst.documentId, error }));
  }

  private record(events: NewActivityEvent[]): void {
    this.writing = this.writing
      .then(() => this.persist(events))
      .catch((error: unknown) => this.logger.error('recording activity failed', { error }));
  }

  private async persist(events: NewActivityEvent[]): Promise<void> {
    // Awaited: the next write waits, so readers still get events in id order.
    await this.announce(await this.store.appendActivity(events));
  }

  private event(
    documentId: string,
    documentTitle: string,
    actor: UserIdentity,
    kind: Pick<NewActivityEvent, 'type' | 'details'>,
  ): NewActivityEvent {
    // The name and colour as they are now; a later rename leaves this event as it was.
    const identity = { id: actor.id, name: actor.name, color: actor.color };
    return { ...kind, documentId, documentTitle, actor: identity, at: new Date().toISOString() } as NewActivityEvent;
  }
}
