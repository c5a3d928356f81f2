/**
 * The undo history of one collaboration session, which also holds the restores this tab asked
 * the server for, each as one step.
 *
 * Why this design: a restore is made by the server, in the room's Y.Doc (it must work for any
 * client, write "before"/"after" revisions around the change and reach every peer as one
 * update), so it reaches this tab as a *remote* update, which a Y.UndoManager never tracks. So:
 *
 * - the tab picks a random nonce and registers it *before* it sends the request, so the change
 *   is recognised whether the update arrives before or after the REST response;
 * - the server writes a `RestoreMarker` with that nonce in the same transaction as the change;
 * - a Y.Map observer, which Yjs runs before `afterTransaction`, tags the transaction that brings
 *   our marker, and `captureTransaction` lets the undo manager take that one remote transaction
 *   (and no other) as a stack item of its own;
 * - the item is then narrowed to what the marker says the restore inserted and deleted, so a
 *   peer's edit merged into the same update (a catch-up after a slow connection) is not undone.
 *
 * Undo then deletes what the restore inserted and brings back what it deleted, as a local change
 * that syncs to everyone; text peers typed since stays (Yjs undo never touches others' items).
 *
 * The session owns the manager for its whole life; editors bound to it come and go (the history
 * page sits between two of them), so `destroy()` from an editor is ignored until `end()`.
 */
import * as Y from 'yjs';
import { DOCUMENT_FRAGMENT } from '../../../shared/protocol.ts';
import { RESTORE_MARKER_KEY, RESTORE_MARKER_MAP, type RestoreMarker } from '../../../shared/restore-marker.ts';

/** Yjs does not export its DeleteSet class by name. */
type DeleteSet = ReturnType<typeof Y.createDeleteSet>;

/** Blocks the undo manager never deletes while they hold text (as y-prosemirror protects paragraphs). */
const PROTECTED_NODES = new Set(['paragraph']);

/** y-prosemirror's default delete filter: undo may remove a paragraph only once it is empty. */
function deleteFilter(item: Y.Item): boolean {
  if (!(item.content instanceof Y.ContentType)) return true;
  const type = item.content.type;
  const isProtected = type instanceof Y.Text || (type instanceof Y.XmlElement && PROTECTED_NODES.has(type.nodeName));
  return !isProtected || type._length === 0;
}

/** An undo manager that outlives the editors bound to it: only `end()` destroys it. */
class SessionUndoManager extends Y.UndoManager {
  private ended = false;

  override destroy(): void {
    if (this.ended) super.destroy();
  }

  end(): void {
    this.ended = true;
    this.destroy();
  }
}

function isMarker(value: unknown): value is RestoreMarker {
  if (typeof value !== 'object' || value === null) return false;
  const marker = value as Record<string, unknown>;
  return (
    typeof marker.nonce === 'string' &&
    typeof marker.client === 'number' &&
    typeof marker.clock === 'number' &&
    typeof marker.length === 'number' &&
    marker.deleted instanceof Uint8Array
  );
}

/** A random nonce for one restore request. */
function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The session's undo history, with restores asked for here folded in. */
export class RestoreUndo {
  /** Bind editors to this (Tiptap: `Collaboration.configure({ yUndoOptions: { undoManager } })`). */
  readonly manager: SessionUndoManager;
  private readonly pending = new Set<string>();
  /** Transactions that brought one of our markers, with what it says the restore changed. */
  private readonly tagged = new WeakMap<Y.Transaction, { insertions: DeleteSet; deletions: DeleteSet }>();
  private readonly markers: Y.Map<unknown>;
  /** The tagged transaction the manager is capturing now (`captureTransaction` runs just before it adds the item). */
  private capturing: { insertions: DeleteSet; deletions: DeleteSet } | undefined;

  /**
   * `remoteOrigin`: the origin remote updates are applied with (the WebsocketProvider).
   * Local origins to track (the editor's sync plugin) are added with `manager.addTrackedOrigin`.
   */
  constructor(
    ydoc: Y.Doc,
    private readonly remoteOrigin: unknown,
  ) {
    this.markers = ydoc.getMap(RESTORE_MARKER_MAP);
    this.manager = new SessionUndoManager(ydoc.getXmlFragment(DOCUMENT_FRAGMENT), {
      trackedOrigins: new Set([remoteOrigin]),
      deleteFilter,
      captureTransaction: (transaction) => {
        if (transaction.origin !== remoteOrigin) return transaction.meta.get('addToHistory') !== false;
        this.capturing = this.tagged.get(transaction);
        return this.capturing !== undefined;
      },
    });
    this.markers.observe(this.onMarker);
    this.manager.on('stack-item-added', this.onStackItem);
  }

  /** Registers a restore about to be asked for; send the nonce with the request. */
  expect(): string {
    const nonce = newNonce();
    this.pending.add(nonce);
    return nonce;
  }

  /** The request failed: no change will carry this nonce. */
  forget(nonce: string): void {
    this.pending.delete(nonce);
  }

  /** The session is over: stop tracking and let go of what undo kept. */
  end(): void {
    this.markers.unobserve(this.onMarker);
    this.manager.end();
  }

  private readonly onMarker = (event: Y.YMapEvent<unknown>): void => {
    if (!event.keysChanged.has(RESTORE_MARKER_KEY)) return;
    const marker = this.markers.get(RESTORE_MARKER_KEY);
    if (!isMarker(marker) || !this.pending.delete(marker.nonce)) return;
    const insertions = Y.createDeleteSet();
    if (marker.length > 0) insertions.clients.set(marker.client, [{ clock: marker.clock, len: marker.length }] as never);
    this.tagged.set(event.transaction, { insertions, deletions: Y.decodeSnapshot(marker.deleted).ds });
    // Its own step: not merged into what was typed just before it.
    this.manager.stopCapturing();
  };

  private readonly onStackItem = ({ stackItem, origin }: { stackItem: { insertions: DeleteSet; deletions: DeleteSet }; origin: unknown }): void => {
    if (origin !== this.remoteOrigin || this.capturing === undefined) return;
    stackItem.insertions = this.capturing.insertions;
    stackItem.deletions = this.capturing.deletions;
    this.capturing = undefined;
    // Nor is what is typed just after it merged into it.
    this.manager.stopCapturing();
  };
}
