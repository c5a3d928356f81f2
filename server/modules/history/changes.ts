/**
 * The change a revision holds: the Yjs updates since the revision before it, one merged update
 * per author (so a diff can tell who inserted and who deleted what), encoded with lib0 and
 * deflated. Pure functions; a document at any revision is the merge of every change up to it.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { promisify } from 'node:util';
import { deflateRaw, deflateRawSync, inflateRawSync } from 'node:zlib';
import * as Y from 'yjs';

/** One author's part of a change; `userId` is null for what no connection sent (a server's restore, content from before history). */
export interface ChangePart {
  userId: string | null;
  update: Uint8Array;
}

const FORMAT = 1;

const deflateRawAsync = promisify(deflateRaw);

/** Below this many bytes an author's updates are merged into one before storing (cheap, and much smaller than many keystrokes apart). */
const MERGE_BELOW_BYTES = 64 * 1024;

/** Below this many bytes a change is compressed on the event loop: starting a thread-pool job costs more than deflating it. */
const DEFLATE_INLINE_BELOW_BYTES = 64 * 1024;

/**
 * Encodes and compresses a change; a large one is compressed on the thread pool, off the event
 * loop (a pasted book is megabytes). Each author's small updates are merged first; large ones
 * are stored as they came, since merging them would hold the event loop.
 */
export async function encodeChangeAsync(parts: readonly ChangePart[]): Promise<Uint8Array> {
  const bytes = new Map<string | null, number>();
  for (const part of parts) bytes.set(part.userId, (bytes.get(part.userId) ?? 0) + part.update.byteLength);
  const small = parts.filter((part) => bytes.get(part.userId)! < MERGE_BELOW_BYTES);
  const large = parts.filter((part) => bytes.get(part.userId)! >= MERGE_BELOW_BYTES);
  const raw = rawChange([...mergeParts(small), ...large]);
  return new Uint8Array(raw.byteLength < DEFLATE_INLINE_BELOW_BYTES ? deflateRawSync(raw) : await deflateRawAsync(raw));
}

/** Encodes and compresses a change. */
export function encodeChange(parts: readonly ChangePart[]): Uint8Array {
  return deflateRawSync(rawChange(parts));
}

function rawChange(parts: readonly ChangePart[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, FORMAT);
  encoding.writeVarUint(encoder, parts.length);
  for (const part of parts) {
    encoding.writeVarString(encoder, part.userId ?? '');
    encoding.writeVarUint8Array(encoder, part.update);
  }
  return encoding.toUint8Array(encoder);
}

/** Decodes a change stored by `encodeChange`. */
export function decodeChange(stored: Uint8Array): ChangePart[] {
  const decoder = decoding.createDecoder(inflateRawSync(stored));
  const format = decoding.readVarUint(decoder);
  if (format !== FORMAT) throw new Error(`unknown revision change format ${format}`);
  const count = decoding.readVarUint(decoder);
  const parts: ChangePart[] = [];
  for (let i = 0; i < count; i++) {
    const userId = decoding.readVarString(decoder);
    parts.push({ userId: userId === '' ? null : userId, update: decoding.readVarUint8Array(decoder) });
  }
  return parts;
}

/** Merges parts of the same author into one update each, keeping the authors' first-seen order. */
export function mergeParts(parts: readonly ChangePart[]): ChangePart[] {
  const byAuthor = new Map<string | null, Uint8Array[]>();
  for (const part of parts) {
    const list = byAuthor.get(part.userId);
    if (list) list.push(part.update);
    else byAuthor.set(part.userId, [part.update]);
  }
  return [...byAuthor].map(([userId, updates]) => ({ userId, update: updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates) }));
}

/** The whole document state that a list of stored changes adds up to, as one update. */
export function stateOf(changes: readonly Uint8Array[]): Uint8Array {
  const updates = changes.flatMap((change) => decodeChange(change).map((part) => part.update));
  return updates.length === 0 ? Y.encodeStateAsUpdate(new Y.Doc()) : Y.mergeUpdates(updates);
}

/** A Y.Doc holding a state, keeping deleted content (history needs to show what was deleted). */
export function docOf(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc({ gc: false });
  Y.applyUpdate(doc, state);
  return doc;
}
