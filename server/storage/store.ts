/**
 * The one storage interface. SQLite (embedded default) and PostgreSQL (scale-out) implement it,
 * and both pass `store.contract.ts`. All methods are async so either can sit behind it.
 */
import type { ActivityEvent, NewActivityEvent } from '../../shared/activity.ts';
import type { DocumentFilter, DocumentRole, GeneralAccess, RevisionKind, Role, User, UserRef } from '../../shared/dto.ts';
import type { AccessRules } from '../policy/document-access.ts';
import type { AttachmentStore } from './attachment-store.ts';
import type { SearchStore } from './search-store.ts';

/** A document's metadata row. Times are epoch milliseconds. */
export interface DocumentRecord {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  createdBy: UserRef;
  updatedBy: UserRef | null;
  /** Bumped by every metadata change; the REST `ETag`. */
  version: number;
  /** Who general access reaches, and with which role (the owner is `createdBy`). */
  general: GeneralAccess;
}

/** A document in a listing, with the role a personal grant gives the reader (if any). */
export interface ListedDocument extends DocumentRecord {
  grant: DocumentRole | null;
}

/** Whose view a listing is: only what this account may read. */
export interface Reader {
  userId: string;
  /** Admins read everything. */
  admin: boolean;
}

/** One personal grant, with the account it names. */
export interface GrantRecord {
  user: { id: string; name: string; email: string | null; color: string };
  role: DocumentRole;
}

/** A session row, joined with its (enabled) account. */
export interface SessionRecord {
  id: string;
  user: User;
  expiresAt: number;
}

/**
 * An account. `email` (stored lower-case) and `passwordHash` are null for users carried over
 * from name-only sign-in; `passwordHash` also for accounts that only use single sign-on.
 */
export interface AccountRecord {
  id: string;
  email: string | null;
  name: string;
  color: string;
  role: Role;
  disabled: boolean;
  passwordHash: string | null;
  createdAt: number;
}

export interface NewAccount {
  id: string;
  email: string;
  name: string;
  color: string;
  role: Role;
  passwordHash: string | null;
  createdAt: number;
}

/**
 * Why an account may be created, checked atomically with its creation: as the very first
 * account, through registration open to anyone, or by using up an invite.
 */
export type Admission = { kind: 'first' } | { kind: 'open' } | { kind: 'invite'; code: string; now: number };

export type CreateAccountResult =
  | { status: 'created'; account: AccountRecord }
  | { status: 'email-taken' }
  /** `first` was asked for, but an account with an email exists already. */
  | { status: 'not-first' }
  /** The invite is unknown, used or expired. */
  | { status: 'invite-unusable' };

export interface AccountChanges {
  name?: string;
  color?: string;
  role?: Role;
  disabled?: boolean;
  passwordHash?: string;
}

export type UpdateAccountResult =
  | { status: 'updated'; account: AccountRecord }
  | { status: 'not-found' }
  /** The change would leave no enabled admin: nothing was changed. */
  | { status: 'last-admin' };

export interface ListAccountsQuery {
  /** Case-insensitive substring of the name or the email. */
  contains: string | null;
  /** Only enabled accounts that can sign in (have an email). */
  activeOnly: boolean;
  limit: number;
}

export interface NewInvite {
  code: string;
  email: string | null;
  role: Role;
  createdBy: string;
  createdAt: number;
  expiresAt: number;
}

/** An invite that can still be used. */
export interface InviteRecord {
  code: string;
  email: string | null;
  role: Role;
  invitedBy: UserRef;
  createdAt: number;
  expiresAt: number;
}

/** One stored Yjs update (or compacted snapshot) of a document, in the order it was stored. */
export interface StoredUpdate {
  id: number;
  data: Uint8Array;
}

/** One update to append: what changed, and who changed it (for "last edited by"). */
export interface UpdateToAppend {
  documentId: string;
  data: Uint8Array;
  editor: UserRef | null;
  at: number;
}

/** A document in the trash, with when it was deleted. */
export interface TrashedRecord extends DocumentRecord {
  deletedAt: number;
}

/** Keyset position in the most-recently-deleted-first trash. */
export interface TrashCursor {
  deletedAt: number;
  id: string;
}

/** Keyset position in the newest-first document list. */
export interface DocumentCursor {
  updatedAt: number;
  id: string;
}

export interface ListDocumentsQuery {
  limit: number;
  after: DocumentCursor | null;
  /** Case-insensitive substring of the title. */
  titleContains: string | null;
  /** Only documents this account may read; null lists every document. */
  reader: Reader | null;
  /** With a reader: only the documents it owns, or those shared with it by a grant. */
  filter?: DocumentFilter | null;
}

export interface ListActivityQuery {
  limit: number;
  documentId: string | null;
  /** Only events with a smaller id (newest-first paging). */
  before: number | null;
  /** Only events of documents this account may read (deleted ones included); null: every event. */
  reader?: Reader | null;
}

export interface NewDocument {
  id: string;
  title: string;
  createdBy: UserRef;
  createdAt: number;
  /** Initial Yjs state, stored as the document's first update. */
  initialState: Uint8Array | null;
  /** General access it starts with (`DEFAULT_ACCESS`). */
  general: GeneralAccess;
}

/** Result of a conditional rename. */
export type RenameResult =
  | { status: 'renamed'; document: DocumentRecord; previousTitle: string }
  | { status: 'not-found' }
  | { status: 'stale'; document: DocumentRecord };

/** Accounts, invites and sessions: the part of the store that identity is kept in. */
export interface AccountStore {
  /** Creates an account if `admission` allows it; the email is unique whatever its case. */
  createAccount(account: NewAccount, admission: Admission): Promise<CreateAccountResult>;
  getAccount(id: string): Promise<AccountRecord | null>;
  /** The account with this email, compared case-insensitively. */
  findAccountByEmail(email: string): Promise<AccountRecord | null>;
  /** How many accounts can sign in (have an email), enabled or not: 0 before the first one. */
  countAccounts(): Promise<number>;
  /** Accounts ordered by name, then id. */
  listAccounts(query: ListAccountsQuery): Promise<AccountRecord[]>;
  /** Changes an account; refuses (atomically) to leave the workspace without an enabled admin. */
  updateAccount(id: string, changes: AccountChanges): Promise<UpdateAccountResult>;

  createInvite(invite: NewInvite): Promise<void>;
  /** The invite with this code if it is unused and unexpired at `now`, else null. */
  getInvite(code: string, now: number): Promise<InviteRecord | null>;

  createSession(session: { id: string; userId: string; expiresAt: number }): Promise<void>;
  /** The unexpired session with this id, if its account is enabled; else null. */
  getSession(id: string, now: number): Promise<SessionRecord | null>;
  deleteSession(id: string): Promise<void>;
  /** Deletes every session of an account but `exceptSessionId`; returns how many. */
  deleteAccountSessions(userId: string, exceptSessionId: string | null): Promise<number>;
  /** Deletes the sessions expired at `now`; returns how many. */
  deleteExpiredSessions(now: number): Promise<number>;
}

/** Who may open a document: general access, personal grants, the secret link. */
export interface AccessStore {
  /**
   * The access rules of these documents by id, deleted ones included: their past activity stays
   * as private as they were. Unknown ids are absent.
   */
  rules(documentIds: readonly string[]): Promise<Map<string, AccessRules>>;
  /** The grants of a document with the accounts they name, ordered by name. */
  grants(documentId: string): Promise<GrantRecord[]>;
  /** Replaces general access and every grant of a document that is not deleted; false if there is none. */
  replace(documentId: string, general: GeneralAccess, grants: readonly { userId: string; role: DocumentRole }[]): Promise<boolean>;
  /** Sets a document's secret link token (the previous one stops working); false if there is no such document. */
  setLinkToken(documentId: string, token: string): Promise<boolean>;
  /** The document (not deleted) whose current link token this is. */
  findByLinkToken(token: string): Promise<string | null>;
}

/** A stored revision's metadata (its changes are read separately: they can be large). Times are epoch ms. */
export interface RevisionRecord {
  id: number;
  documentId: string;
  kind: RevisionKind;
  label: string | null;
  createdAt: number;
  authors: UserRef[];
  inserted: number;
  deleted: number;
  wordsInserted: number;
  wordsDeleted: number;
  /** The document's Yjs state vector once the revision was taken. */
  stateVector: Uint8Array;
}

/** A revision to store; `changes` is the encoded, compressed Yjs change since the revision before. */
export interface NewRevision extends Omit<RevisionRecord, 'id'> {
  changes: Uint8Array;
}

/** History: revisions of documents, each holding the change since the one before it. */
export interface HistoryStore {
  /** Stores a revision of a document that exists (trashed ones too); null when there is none. */
  append(revision: NewRevision): Promise<RevisionRecord | null>;
  /** A document's revisions, newest first, with an id below `before` when given. */
  list(documentId: string, before: number | null, limit: number): Promise<RevisionRecord[]>;
  get(documentId: string, id: number): Promise<RevisionRecord | null>;
  /** The changes of every revision of a document up to and including `upTo`, oldest first. */
  changesUpTo(documentId: string, upTo: number): Promise<Uint8Array[]>;
  /** The state vector of a document's newest revision; null before its first. */
  latestStateVector(documentId: string): Promise<Uint8Array | null>;
  /** Revisions of kind `edit` created before `before` (retention candidates), oldest first, with the revision after each. */
  editsBefore(before: number, limit: number): Promise<{ id: number; documentId: string; createdAt: number }[]>;
  /** The id of the revision that follows `id` in its document, if any. */
  nextId(documentId: string, id: number): Promise<number | null>;
  /**
   * Thinning: atomically deletes `removedIds` and sets the changes of `intoId` (the revision
   * right after the last of them) to `changes`, which must hold theirs and its own.
   */
  merge(documentId: string, removedIds: readonly number[], intoId: number, changes: Uint8Array): Promise<void>;
  /** The changes blobs of these revisions, by id. */
  changesOf(documentId: string, ids: readonly number[]): Promise<Map<number, Uint8Array>>;
}

/** Storage for accounts, invites, sessions, documents, their update logs, and activity. */
export interface Store {
  /** Accounts, invites and sessions. */
  readonly accounts: AccountStore;
  /** Access to documents. */
  readonly access: AccessStore;
  /** Revisions. */
  readonly history: HistoryStore;
  /** Images uploaded into documents. */
  readonly attachments: AttachmentStore;
  /** The full-text index. */
  readonly search: SearchStore;

  createDocument(document: NewDocument): Promise<DocumentRecord>;
  getDocument(id: string): Promise<DocumentRecord | null>;
  listDocuments(query: ListDocumentsQuery): Promise<ListedDocument[]>;
  /** Renames; when `expectedVersion` is given and differs, changes nothing and says stale. */
  renameDocument(
    id: string,
    title: string,
    by: UserRef,
    at: number,
    expectedVersion: number | null,
  ): Promise<RenameResult>;
  /**
   * Moves a document to the trash at `at`: hidden from everything but the trash and the access
   * rules (its past activity stays as private as it was), its content and history kept. False
   * if there was no such document, or it was in the trash already.
   */
  deleteDocument(id: string, at?: number): Promise<boolean>;
  /** Documents in the trash that `reader` owns (all of them for admins), most recently deleted first. */
  listTrash(reader: Reader, limit: number, before: TrashCursor | null): Promise<TrashedRecord[]>;
  /** A document in the trash. */
  getTrashed(id: string): Promise<TrashedRecord | null>;
  /** Takes a document out of the trash; null if it is not there. */
  restoreDocument(id: string): Promise<DocumentRecord | null>;
  /** Removes a document in the trash for good, with its content, history and grants; false if it is not there. */
  purgeDocument(id: string): Promise<boolean>;
  /** Ids of documents in the trash since before `deletedBefore` (for the automatic purge). */
  trashedBefore(deletedBefore: number, limit: number): Promise<string[]>;

  /**
   * Appends updates in one transaction (the sync server's write batch) and marks each touched
   * document as edited. Returns the stored ids, in order. Updates of documents that no longer
   * exist are dropped (id 0).
   */
  appendUpdates(updates: UpdateToAppend[]): Promise<number[]>;
  /** Total size of a document's stored updates, bytes. */
  storedBytes(documentId: string): Promise<number>;
  /** Every stored update of a document, oldest first. */
  loadUpdates(documentId: string): Promise<StoredUpdate[]>;
  /**
   * Compaction: atomically replaces exactly the updates `replacedIds` with one `snapshot` that
   * contains them. Updates stored meanwhile are untouched, so it is safe beside concurrent
   * writers. Returns the snapshot's id, or null if the document is gone.
   */
  replaceUpdates(documentId: string, replacedIds: number[], snapshot: Uint8Array): Promise<number | null>;

  /** Stores events, giving each a strictly increasing id. */
  appendActivity(events: NewActivityEvent[]): Promise<ActivityEvent[]>;
  /** Newest first. */
  listActivity(query: ListActivityQuery): Promise<ActivityEvent[]>;
  /** Oldest first, every event with id > `afterId` (SSE resume), at most `limit`; with a reader, only what it may read. */
  activitySince(afterId: number, documentId: string | null, limit: number, reader?: Reader | null): Promise<ActivityEvent[]>;

  /** Throws when storage is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
