/**
 * History: a revision at the end of every edit burst, named versions, and restores that return a
 * document to an earlier revision as a new change through the sync path (every open editor sees
 * it live; nothing stored is rewritten; restoring the "before" revision undoes it). Never sees a
 * request; every door asks the access policy through `AccessService`.
 */
import type { JSONContent } from '@tiptap/core';
import * as Y from 'yjs';
import type { ContentFormat, DiffFormat, Page, Revision, RevisionKind, User, UserRef } from '../../../shared/dto.ts';
import { DOCUMENT_FRAGMENT } from '../../../shared/protocol.ts';
import { RESTORE_MARKER_KEY, RESTORE_MARKER_MAP, type RestoreMarker } from '../../../shared/restore-marker.ts';
import { callerKey, type Caller } from '../../http/auth.ts';
import { badRequest, conflict, notFound } from '../../http/problem.ts';
import type { Logger } from '../../logger.ts';
import type { DocumentRecord, RevisionRecord, Store } from '../../storage/store.ts';
import type { RoomRegistry } from '../../sync/rooms.ts';
import type { AccessService } from '../access/service.ts';
import { survivingText } from '../activity/burst-text.ts';
import { editStats } from '../activity/edit-stats.ts';
import { documentContent } from '../../lazy-module.ts';
import { CONTENT_TYPES } from '../documents/content-types.ts';
import type { RenderPool } from '../documents/render-pool.ts';
import { renderProblem } from '../documents/render-problem.ts';
import type { RevisionCapture } from './capture.ts';
import { decodeChange, docOf, encodeChangeAsync, stateOf, type ChangePart } from './changes.ts';
import { diffChanges } from './diff.ts';

/** Told when a document was restored to a revision (the activity feed records it). */
export interface RestoreListener {
  restored(document: DocumentRecord, revisionId: number, actor: User): void;
}

/** The counts a revision carries. */
export interface RevisionCounts {
  inserted: number;
  deleted: number;
  wordsInserted: number;
  wordsDeleted: number;
}

const NO_COUNTS: RevisionCounts = { inserted: 0, deleted: 0, wordsInserted: 0, wordsDeleted: 0 };

/** The API shape of a stored revision. */
export function toRevision(record: RevisionRecord): Revision {
  return {
    id: record.id,
    kind: record.kind,
    label: record.label,
    createdAt: new Date(record.createdAt).toISOString(),
    authors: record.authors,
    inserted: record.inserted,
    deleted: record.deleted,
    words: { inserted: record.wordsInserted, deleted: record.wordsDeleted },
  };
}

/** Revisions, named versions, diffs and restores. */
export class HistoryService {
  /** Told about restores; filled in once the activity feed exists. */
  readonly restoreListeners: RestoreListener[] = [];

  constructor(
    private readonly store: Store,
    private readonly rooms: RoomRegistry,
    private readonly capture: RevisionCapture,
    private readonly access: AccessService,
    private readonly renderer: RenderPool,
    private readonly logger: Logger,
    /** False with `HISTORY=off`: nothing is recorded, so versions cannot be named or restored. */
    private readonly enabled = true,
  ) {
    if (enabled) capture.cutRevision = (documentId) => void this.record(documentId, 'edit', null, this.take(documentId), null, NO_COUNTS, Date.now()).catch(() => {});
  }

  /**
   * The end of an edit burst: takes the document's pending changes now (synchronously, while its
   * room is open) and stores them as an `edit` revision. Resolves with the revision, or null when
   * the document is gone.
   */
  recordEdit(documentId: string, actor: UserRef, counts: RevisionCounts, at = Date.now()): Promise<RevisionRecord | null> {
    // Bursts overlap: a revision at the end of someone else's burst (or one cut before a
    // deletion, see capture.ts) took this burst's changes with the rest. With nothing of the
    // actor's since, their event links to that revision, which shows their change.
    const holding = this.capture.hasChangesBy(documentId, actor.id) ? undefined : this.capture.revisionHolding(documentId, actor.id);
    if (holding) return holding;
    return this.record(documentId, 'edit', null, this.take(documentId), actor, counts, at);
  }

  /** A new document's initial content, as its first revision. */
  recordInitial(documentId: string, actor: UserRef, state: Uint8Array, counts: RevisionCounts): Promise<RevisionRecord | null> {
    const sv = Y.encodeStateVectorFromUpdate(state);
    return this.storeRevision(documentId, 'edit', null, { parts: [{ userId: actor.id, update: state }], stateVector: sv }, [actor], counts, Date.now());
  }

  /** A document's revisions, newest first (readers). */
  async list(documentId: string, caller: Caller, cursor: string | undefined, limit: number): Promise<Page<Revision>> {
    await this.access.authorize(documentId, caller, 'read');
    const before = cursor === undefined ? null : parseRevisionId(cursor, 'cursor');
    const records = await this.store.history.list(documentId, before, limit + 1);
    const page = records.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toRevision), nextCursor: records.length > limit && last ? String(last.id) : null };
  }

  /** The document as it was at a revision, rendered off the event loop (readers). */
  async content(documentId: string, revisionId: number, format: ContentFormat, caller: Caller): Promise<{ body: string; contentType: string }> {
    await this.access.authorize(documentId, caller, 'read');
    await this.require(documentId, revisionId);
    const owner = callerKey(caller);
    try {
      const body = await this.renderer.render(owner, format, async () => [stateOf(await this.store.history.changesUpTo(documentId, revisionId))]);
      return { body, contentType: CONTENT_TYPES[format] };
    } catch (error) {
      throw renderProblem(error);
    }
  }

  /** A revision against an earlier one (default: the one before it), insertions and deletions marked with their authors (readers). */
  async diff(documentId: string, revisionId: number, fromId: number | null, format: DiffFormat, caller: Caller): Promise<{ body: string; contentType: string }> {
    await this.access.authorize(documentId, caller, 'read');
    await this.require(documentId, revisionId);
    const from = fromId ?? (await this.store.history.list(documentId, revisionId, 1))[0]?.id ?? null;
    if (from !== null) {
      if (from >= revisionId) throw badRequest('from must name an earlier revision than the one shown', ['from']);
      await this.require(documentId, from);
    }
    const toChanges = await this.store.history.changesUpTo(documentId, revisionId);
    const fromCount = from === null ? 0 : (await this.store.history.changesUpTo(documentId, from)).length;
    const json = await this.diffOf(toChanges, fromCount);
    if (format === 'json') return { body: JSON.stringify(json), contentType: 'application/json' };
    // The HTML diff renderer brings Tiptap's HTML serializer: loaded with its first use.
    const { renderDiff } = await import('./diff-render.ts');
    return { body: renderDiff(json), contentType: 'text/html; charset=utf-8' };
  }

  /** Names the current state of a document (editors). */
  async name(documentId: string, caller: Caller, actor: User, label: string): Promise<Revision> {
    await this.access.authorize(documentId, caller, 'edit');
    this.requireEnabled();
    const record = await this.record(documentId, 'named', label, this.take(documentId), actor, NO_COUNTS, Date.now());
    if (!record) throw notFound(`no document with id ${documentId}`);
    return toRevision(record);
  }

  /**
   * Returns a document to a revision's content as one new change (editors): a "before" revision
   * of what it held, the change made in the open room (committed, then broadcast to every editor),
   * and an "after" revision that holds it. Nothing stored is rewritten. With `nonce` (chosen by the
   * restorer's client), the change carries a `RestoreMarker` so that client can undo it as one step.
   */
  async restore(documentId: string, revisionId: number, caller: Caller, actor: User, nonce: string | null = null): Promise<Revision> {
    const { document } = await this.access.authorize(documentId, caller, 'edit');
    this.requireEnabled();
    await this.require(documentId, revisionId);
    const oldContent = documentContent().documentToJSON(docOf(stateOf(await this.store.history.changesUpTo(documentId, revisionId))));
    const { room, release } = await this.rooms.borrow(documentId);
    try {
      await room.committed();
      await this.record(documentId, 'restore', `Before restoring revision ${revisionId}`, this.take(documentId), null, NO_COUNTS, Date.now());
      const { update, counts } = applyContent(room.doc, oldContent, { restoredBy: actor.id }, nonce === null ? null : { nonce, by: actor.id, revisionId });
      await room.committed();
      const parts = update ? [{ userId: actor.id, update }, ...this.capture.take(documentId)] : this.capture.take(documentId);
      const after = await this.record(documentId, 'restore', `Restored revision ${revisionId}`, { parts, stateVector: room.stateVector() }, actor, counts, Date.now());
      if (!after) throw notFound(`no document with id ${documentId}`);
      for (const listener of this.restoreListeners) listener.restored(document, revisionId, actor);
      return toRevision(after);
    } finally {
      release();
    }
  }

  /** What the next revision of an open document holds now, and its state vector; null when it is not open here. */
  private take(documentId: string): { parts: ChangePart[]; stateVector: Uint8Array } | null {
    const room = this.rooms.peek(documentId);
    if (!room) return null;
    return { parts: this.capture.take(documentId), stateVector: room.stateVector() };
  }

  private async record(
    documentId: string,
    kind: RevisionKind,
    label: string | null,
    taken: { parts: ChangePart[]; stateVector: Uint8Array } | null,
    actor: UserRef | null,
    counts: RevisionCounts,
    at: number,
  ): Promise<RevisionRecord | null> {
    // Not open here (its room already released): the state is what the newest revision says.
    const change = taken ?? { parts: [], stateVector: (await this.store.history.latestStateVector(documentId)) ?? Y.encodeStateVector(new Y.Doc()) };
    const stored = this.authorsOf(change.parts, actor).then((authors) => this.storeRevision(documentId, kind, label, change, authors, counts, at));
    const userIds = new Set(change.parts.flatMap((part) => (part.userId ? [part.userId] : [])));
    this.capture.heldIn(documentId, userIds, stored.catch(() => null));
    return stored;
  }

  private async storeRevision(
    documentId: string,
    kind: RevisionKind,
    label: string | null,
    change: { parts: ChangePart[]; stateVector: Uint8Array },
    authors: UserRef[],
    counts: RevisionCounts,
    at: number,
  ): Promise<RevisionRecord | null> {
    try {
      return await this.store.history.append({
        documentId,
        kind,
        label,
        createdAt: at,
        authors,
        ...counts,
        stateVector: change.stateVector,
        changes: await encodeChangeAsync(change.parts),
      });
    } catch (error) {
      // The change stays in the live document and in the update log; the next revision holds it.
      for (const part of change.parts) this.capture.add(documentId, part);
      this.logger.error('storing a revision failed; its changes wait for the next one', { documentId, error });
      throw error;
    }
  }

  /** The accounts whose changes a revision holds, and `actor`, by id and name. */
  private async authorsOf(parts: readonly ChangePart[], actor: UserRef | null): Promise<UserRef[]> {
    const ids = new Set(parts.flatMap((part) => (part.userId ? [part.userId] : [])));
    if (actor) ids.delete(actor.id);
    const others = await Promise.all([...ids].map((id) => this.store.accounts.getAccount(id)));
    const refs = others.flatMap((account) => (account ? [{ id: account.id, name: account.name }] : []));
    return actor ? [{ id: actor.id, name: actor.name }, ...refs] : refs;
  }

  /** The diff of the state of `toChanges` against that of its first `fromCount` changes, with the authors' names. */
  private async diffOf(toChanges: readonly Uint8Array[], fromCount: number): Promise<JSONContent> {
    const partsByChange = toChanges.map((change) => decodeChange(change));
    const userIds = new Set(partsByChange.flatMap((parts) => parts.flatMap((part) => (part.userId ? [part.userId] : []))));
    const accounts = new Map<string, UserRef>();
    for (const id of userIds) {
      const account = await this.store.accounts.getAccount(id);
      if (account) accounts.set(id, { id: account.id, name: account.name });
    }
    return diffChanges(partsByChange, fromCount, accounts);
  }

  /** With history off, revisions would hold nothing: naming or restoring one is refused. */
  private requireEnabled(): void {
    if (!this.enabled) throw conflict('History is off on this server (HISTORY=off): versions cannot be named or restored.');
  }

  private async require(documentId: string, revisionId: number): Promise<RevisionRecord> {
    const record = await this.store.history.get(documentId, revisionId);
    if (!record) throw notFound(`no revision ${revisionId} of this document`);
    return record;
  }
}

/**
 * Makes `doc`'s content equal `content` in one transaction with `origin` (the room commits and
 * broadcasts it like any change), touching only what differs. Returns the update and its counts.
 *
 * With `signed`, the same transaction sets the document's `RestoreMarker`: which structs the
 * restore inserted (all of this doc's own client, from the clock it stood at) and what it deleted.
 * The restorer's client recognises its nonce in the update that brings the change, whether that
 * arrives before or after the REST response, and undoes exactly these structs, never a peer's
 * edit that happened to arrive in the same update.
 */
function applyContent(
  doc: Y.Doc,
  content: JSONContent,
  origin: object,
  signed: Pick<RestoreMarker, 'nonce' | 'by' | 'revisionId'> | null,
): { update: Uint8Array | null; counts: RevisionCounts } {
  const fragment = doc.getXmlFragment(DOCUMENT_FRAGMENT);
  let update: Uint8Array | null = null;
  let counts = NO_COUNTS;
  const onUpdate = (change: Uint8Array, changeOrigin: unknown) => {
    if (changeOrigin === origin) update = update ? Y.mergeUpdates([update, change]) : change;
  };
  const onTransaction = (transaction: Y.Transaction) => {
    if (transaction.origin !== origin) return;
    const stats = editStats(transaction, fragment);
    // What the restore put back, read as the feed reads a burst: its characters and words.
    const made = stats.created ? survivingText(fragment, stats.created) : { chars: stats.inserted, words: 0 };
    counts = { inserted: made.chars, deleted: stats.deleted, wordsInserted: made.words, wordsDeleted: stats.deletedWords ?? 0 };
  };
  doc.on('update', onUpdate);
  doc.on('afterTransaction', onTransaction);
  try {
    Y.transact(
      doc,
      (transaction) => {
        const clock = Y.getState(doc.store, doc.clientID);
        documentContent().writeFragment(content, fragment);
        if (signed === null) return;
        const length = Y.getState(doc.store, doc.clientID) - clock;
        const deleted = Y.encodeSnapshot(Y.createSnapshot(Y.mergeDeleteSets([transaction.deleteSet]), new Map()));
        const marker: RestoreMarker = { ...signed, client: doc.clientID, clock, length, deleted };
        doc.getMap(RESTORE_MARKER_MAP).set(RESTORE_MARKER_KEY, marker);
      },
      origin,
    );
  } finally {
    doc.off('update', onUpdate);
    doc.off('afterTransaction', onTransaction);
  }
  return { update, counts };
}

/** A revision id from a path or query parameter. */
export function parseRevisionId(value: string, field: string): number {
  if (!/^\d{1,15}$/.test(value)) throw badRequest(`${field} must be a revision id`, [field]);
  return Number(value);
}
