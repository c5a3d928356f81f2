/**
 * The copies of documents this browser keeps in IndexedDB (y-indexeddb), one database per user
 * and document, so edits survive a reload, a closed tab or a browser restart and sync later.
 * Beside each copy, localStorage holds how many of its local edits the server has not confirmed
 * (written synchronously with each edit, so it is there even if the tab closes right after).
 */
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { DOCUMENT_FRAGMENT } from '../../../shared/protocol.ts';
import { keysWithPrefix, userKeyPrefix } from '../api/offlineCache.ts';
import { documentText } from './documentText.ts';

const DATABASE_PREFIX = 'quire-doc:';

/** Name of the IndexedDB database holding `userId`'s copy of `documentId`. */
export function localCopyName(userId: string, documentId: string): string {
  return `${DATABASE_PREFIX}${encodeURIComponent(userId)}:${documentId}`;
}

function unsentKey(userId: string, documentId: string): string {
  return `${userKeyPrefix(userId)}unsent:${documentId}`;
}

/** Every copy opened is listed too, for browsers without `indexedDB.databases()`. */
function copyKey(userId: string, documentId: string): string {
  return `${userKeyPrefix(userId)}copy:${documentId}`;
}

/** Whether this browser can keep copies at all (not in some private modes). */
export function canKeepLocalCopies(): boolean {
  return typeof indexedDB !== 'undefined';
}

/** Local edits of `documentId` the server had not confirmed when this browser last knew. */
export function storedUnsent(userId: string, documentId: string): number {
  try {
    const value = Number(localStorage.getItem(unsentKey(userId, documentId)) ?? 0);
    return Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
  } catch {
    return 0;
  }
}

export function storeUnsent(userId: string, documentId: string, unsent: number): void {
  try {
    if (unsent > 0) localStorage.setItem(unsentKey(userId, documentId), String(unsent));
    else localStorage.removeItem(unsentKey(userId, documentId));
  } catch {
    // Storage disabled: the count after a reload will be low; the edits themselves still sync.
  }
}

/** Opens the copy into `ydoc`; resolves once what was stored has been applied (or at `timeoutMs`). */
export function openLocalCopy(userId: string, documentId: string, ydoc: Y.Doc, timeoutMs = 2_000): {
  persistence: IndexeddbPersistence | null;
  loaded: Promise<void>;
} {
  if (!canKeepLocalCopies()) return { persistence: null, loaded: Promise.resolve() };
  try {
    localStorage.setItem(copyKey(userId, documentId), '1');
  } catch {
    // Storage disabled: signing out then finds copies through indexedDB.databases() alone.
  }
  const persistence = new IndexeddbPersistence(localCopyName(userId, documentId), ydoc);
  // A broken or blocked database must not keep the document from connecting.
  const loaded = Promise.race([
    persistence.whenSynced.then(() => undefined),
    new Promise<void>((resolve) => setTimeout(resolve, timeoutMs)),
  ]);
  return { persistence, loaded };
}

/** The text of a kept copy and its unsent count; null when this browser keeps nothing of it. */
export async function readLocalCopy(userId: string, documentId: string): Promise<{ text: string; unsent: number } | null> {
  if (!canKeepLocalCopies()) return null;
  const ydoc = new Y.Doc();
  const { persistence, loaded } = openLocalCopy(userId, documentId, ydoc);
  try {
    await loaded;
    const text = documentText(ydoc.getXmlFragment(DOCUMENT_FRAGMENT));
    return text === '' ? null : { text, unsent: storedUnsent(userId, documentId) };
  } finally {
    await persistence?.destroy();
    ydoc.destroy();
  }
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    // Blocked (another tab has it open) still deletes once that tab closes it.
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

/** Deletes one kept copy and its count. */
export async function discardLocalCopy(userId: string, documentId: string): Promise<void> {
  storeUnsent(userId, documentId, 0);
  try {
    localStorage.removeItem(copyKey(userId, documentId));
  } catch {
    // Storage disabled.
  }
  if (canKeepLocalCopies()) await deleteDatabase(localCopyName(userId, documentId));
}

/** Documents of `userId` with edits the server has not confirmed, and how many. */
export function documentsWithUnsent(userId: string): Map<string, number> {
  const prefix = `${userKeyPrefix(userId)}unsent:`;
  const result = new Map<string, number>();
  for (const key of keysWithPrefix(prefix)) {
    const documentId = key.slice(prefix.length);
    const unsent = storedUnsent(userId, documentId);
    if (unsent > 0) result.set(documentId, unsent);
  }
  return result;
}

/** Deletes every copy `userId` keeps in this browser (signing out). */
export async function deleteLocalCopies(userId: string): Promise<void> {
  if (!canKeepLocalCopies()) return;
  const prefix = `${DATABASE_PREFIX}${encodeURIComponent(userId)}:`;
  const names = new Set<string>();
  const listed = `${userKeyPrefix(userId)}copy:`;
  for (const key of keysWithPrefix(listed)) names.add(localCopyName(userId, key.slice(listed.length)));
  try {
    for (const { name } of await indexedDB.databases()) if (name?.startsWith(prefix)) names.add(name);
  } catch {
    // indexedDB.databases() is missing in older browsers: the listed copies are all there is.
  }
  await Promise.all([...names].map(deleteDatabase));
}
