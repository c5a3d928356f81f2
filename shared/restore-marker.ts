/**
 * The signature a restore leaves in the document it changes, so the restorer's own editor can
 * take the restore into its undo history as one step (types and constants only; shared by the
 * server, which writes it, and the client, which reads it).
 *
 * The server sets `RESTORE_MARKER_KEY` of the Y.Map `RESTORE_MARKER_MAP` in the very transaction
 * that rewrites the content, so the marker and the change travel in one update and no peer can
 * see one without the other. Each restore overwrites the key: the map never grows.
 */

/** Name of the Y.Map that carries the marker (outside the `default` fragment editors bind to). */
export const RESTORE_MARKER_MAP = 'restore';

/** The one key of that map. */
export const RESTORE_MARKER_KEY = 'last';

/** Most characters of a nonce the restorer's client may send. */
export const RESTORE_NONCE_MAX_LENGTH = 64;

/** The marker's value. */
export interface RestoreMarker {
  /** Chosen by the restorer's client before it asks, so it recognises the change whenever it arrives. */
  nonce: string;
  /** The account that restored (set by the server). */
  by: string;
  /** The revision whose content came back. */
  revisionId: number;
  /** The Yjs client whose structs the restore inserted, and their clock range `[clock, clock + length)`. */
  client: number;
  clock: number;
  length: number;
  /** What the restore deleted: a Yjs snapshot (`Y.encodeSnapshot`) whose delete set is exactly that. */
  deleted: Uint8Array;
}
