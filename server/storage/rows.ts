/** Row shapes and mappings that both SQL stores share. */
import type { ActivityEvent } from '../../shared/activity.ts';
import type { AccessScope, DocumentRole, GeneralAccess, GeneralRole, RevisionKind, Role, User, UserRef } from '../../shared/dto.ts';
import type { AccessRules } from '../policy/document-access.ts';
import type { AccountChanges, AccountRecord, DocumentRecord, InviteRecord, RevisionRecord } from './store.ts';

/** An activity row as stored (ids and times as numbers). */
export interface ActivityRow {
  id: number;
  type: ActivityEvent['type'];
  document_id: string;
  document_title: string;
  actor_id: string;
  actor_name: string;
  actor_color: string;
  at: number;
  details: string;
}

/** Maps a stored activity row back to the event union. */
export function activityFromRow(row: ActivityRow): ActivityEvent {
  return {
    id: row.id,
    type: row.type,
    documentId: row.document_id,
    documentTitle: row.document_title,
    actor: { id: row.actor_id, name: row.actor_name, color: row.actor_color },
    at: new Date(row.at).toISOString(),
    details: JSON.parse(row.details),
  } as ActivityEvent;
}

/**
 * A document row as either store returns it (PostgreSQL's BIGINT times arrive as strings; ids
 * and epoch milliseconds stay far below 2^53, so numbers are exact).
 */
export interface DocumentRow extends GeneralAccessRow {
  id: string;
  title: string;
  created_at: number | string;
  updated_at: number | string;
  created_by: string;
  creator_name: string;
  updated_by: string | null;
  updater_name: string | null;
  version: number;
}

/** The columns of a `DocumentRow`, of documents `d` joined by `DOCUMENT_JOINS`. */
export const DOCUMENT_COLUMNS = `d.id, d.title, d.created_at, d.updated_at, d.created_by, c.name AS creator_name,
  d.updated_by, u.name AS updater_name, d.version, d.access_scope, d.access_role`;
export const DOCUMENT_JOINS = 'JOIN users c ON c.id = d.created_by LEFT JOIN users u ON u.id = d.updated_by';

export function toDocument(row: DocumentRow): DocumentRecord {
  return {
    id: row.id,
    title: row.title,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    createdBy: { id: row.created_by, name: row.creator_name },
    updatedBy: row.updated_by === null ? null : { id: row.updated_by, name: row.updater_name ?? '' },
    version: row.version,
    general: generalFromRow(row),
  };
}

/** Escapes LIKE wildcards so a title filter matches literally. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** An account row as either store returns it (SQLite: integers; PostgreSQL: booleans, BIGINT strings). */
export interface AccountRow {
  id: string;
  email: string | null;
  name: string;
  color: string;
  role: Role;
  disabled: number | boolean;
  password_hash: string | null;
  created_at: number | string;
}

/** The columns of `AccountRow`, from `users`. */
export const ACCOUNT_COLUMNS = 'id, email, name, color, role, disabled, password_hash, created_at';

export function accountFromRow(row: AccountRow): AccountRecord {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    color: row.color,
    role: row.role,
    disabled: Boolean(row.disabled),
    passwordHash: row.password_hash,
    createdAt: Number(row.created_at),
  };
}

/** A session's user, from the joined account columns. */
export function sessionUser(row: { user_id: string; name: string; email: string; color: string; role: Role }): User {
  return { id: row.user_id, name: row.name, email: row.email, color: row.color, role: row.role };
}

/** Whether a change takes an enabled admin's rights away. */
export function removesAdmin(current: AccountRecord, changes: AccountChanges): boolean {
  if (current.role !== 'admin' || current.disabled) return false;
  return (changes.role !== undefined && changes.role !== 'admin') || changes.disabled === true;
}

/** An invite row joined with its inviter (both stores). */
export interface InviteRow {
  code: string;
  email: string | null;
  role: Role;
  created_at: number | string;
  expires_at: number | string;
  inviter_id: string;
  inviter_name: string;
}

export function inviteFromRow(row: InviteRow): InviteRecord {
  return {
    code: row.code,
    email: row.email,
    role: row.role,
    invitedBy: { id: row.inviter_id, name: row.inviter_name },
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
  };
}

/** The general access columns of a document row (both stores). */
export interface GeneralAccessRow {
  access_scope: AccessScope;
  access_role: GeneralRole;
}

export function generalFromRow(row: GeneralAccessRow): GeneralAccess {
  return { scope: row.access_scope, role: row.access_role };
}

/** A document's access columns with its grants, as both stores read them for `AccessStore.rules`. */
export interface AccessRulesRow extends GeneralAccessRow {
  id: string;
  created_by: string;
  link_token: string | null;
}

/** Builds the rules of each document from its row and its grants. */
export function rulesFromRows(
  documents: readonly AccessRulesRow[],
  grants: readonly { document_id: string; user_id: string; role: DocumentRole }[],
): Map<string, AccessRules> {
  const rules = new Map<string, AccessRules>();
  for (const row of documents) {
    rules.set(row.id, { ownerId: row.created_by, general: generalFromRow(row), grants: new Map(), linkToken: row.link_token });
  }
  for (const grant of grants) (rules.get(grant.document_id)?.grants as Map<string, DocumentRole> | undefined)?.set(grant.user_id, grant.role);
  return rules;
}

/** A revision row as either store returns it (PostgreSQL: BIGINT as strings). */
export interface RevisionRow {
  id: number | string;
  document_id: string;
  kind: RevisionKind;
  label: string | null;
  created_at: number | string;
  authors: string;
  inserted: number;
  deleted: number;
  words_inserted: number;
  words_deleted: number;
  state_vector: Uint8Array;
}

/** The columns of `RevisionRow`: all but the changes, which are read only when needed. */
export const REVISION_COLUMNS = 'id, document_id, kind, label, created_at, authors, inserted, deleted, words_inserted, words_deleted, state_vector';

export function revisionFromRow(row: RevisionRow): RevisionRecord {
  return {
    id: Number(row.id),
    documentId: row.document_id,
    kind: row.kind,
    label: row.label,
    createdAt: Number(row.created_at),
    authors: JSON.parse(row.authors) as UserRef[],
    inserted: row.inserted,
    deleted: row.deleted,
    wordsInserted: row.words_inserted,
    wordsDeleted: row.words_deleted,
    stateVector: row.state_vector,
  };
}
