/**
 * What this browser remembers so Quire opens without a network: the last signed-in user and
 * the details of documents they opened. Used only when the server cannot be reached, never when
 * it answers (a 401 or 404 is the truth and clears the memory). Everything a user left here is
 * under `quire:<userId>:`, so signing out can remove it.
 */
import { DOCUMENT_ROLES, type DocumentDetail, type User } from '../../../shared/dto.ts';

const SESSION_USER_KEY = 'quire:session-user';

/** Prefix of every key holding one user's data in localStorage. */
export function userKeyPrefix(userId: string): string {
  return `quire:${encodeURIComponent(userId)}:`;
}

function documentKey(userId: string, documentId: string): string {
  return `${userKeyPrefix(userId)}doc:${documentId}`;
}

function read<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(key);
    return raw === null ? null : (JSON.parse(raw) as T);
  } catch {
    return null;
  }
}

function write(key: string, value: unknown): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or disabled: offline use degrades, online use is unaffected.
  }
}

/** Whether a remembered value is a whole account (an older name-only session is not). */
function isUser(value: unknown): value is User {
  if (typeof value !== 'object' || value === null) return false;
  const user = value as Partial<Record<keyof User, unknown>>;
  return (
    typeof user.id === 'string' &&
    typeof user.name === 'string' &&
    typeof user.email === 'string' &&
    typeof user.color === 'string' &&
    (user.role === 'admin' || user.role === 'member')
  );
}

/** The user the server last confirmed as signed in here; nothing for a session of another shape. */
export function cachedSessionUser(): User | null {
  const user = read<unknown>(SESSION_USER_KEY);
  return isUser(user) ? user : null;
}

export function rememberSessionUser(user: User | null): void {
  write(SESSION_USER_KEY, user);
}

/** A document's details as last loaded by `userId`. */
export function cachedDocument(userId: string, documentId: string): DocumentDetail | null {
  const document = read<DocumentDetail>(documentKey(userId, documentId));
  if (document === null || DOCUMENT_ROLES.includes(document.role)) return document;
  // Kept before documents had roles, when every account could edit every document.
  return { ...document, role: 'editor' };
}

export function rememberDocument(userId: string, document: DocumentDetail): void {
  write(documentKey(userId, document.id), document);
}

export function forgetDocument(userId: string, documentId: string): void {
  write(documentKey(userId, documentId), null);
}

/** Keys with `prefix`, for enumerating what a user keeps here. */
export function keysWithPrefix(prefix: string): string[] {
  const keys: string[] = [];
  try {
    for (let index = 0; index < localStorage.length; index++) {
      const key = localStorage.key(index);
      if (key?.startsWith(prefix)) keys.push(key);
    }
  } catch {
    // Storage disabled.
  }
  return keys;
}

/** Removes every localStorage key under `prefix`. */
export function removeKeysWithPrefix(prefix: string): void {
  for (const key of keysWithPrefix(prefix)) {
    try {
      localStorage.removeItem(key);
    } catch {
      // Storage disabled: nothing was kept.
    }
  }
}

/** Forgets everything this browser kept for `userId`, and the remembered session. */
export function forgetUserData(userId: string): void {
  removeKeysWithPrefix(userKeyPrefix(userId));
  if (cachedSessionUser()?.id === userId) rememberSessionUser(null);
}
