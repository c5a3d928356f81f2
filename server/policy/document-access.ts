/**
 * Who may do what with a document: the one place that decides it. REST routes, the sync
 * adapter, the live access updates and the activity stream all ask `roleOn` and `can`; none of
 * them compares roles itself. Pure functions, imported by sync and the feature modules alike.
 */
import type { DocumentRole, GeneralAccess } from '../../shared/dto.ts';

/** What a document's access is made of, as storage keeps it. */
export interface AccessRules {
  ownerId: string;
  general: GeneralAccess;
  /** Roles given to accounts by id. */
  grants: ReadonlyMap<string, DocumentRole>;
  /** The current secret link token; null until an owner first asks for one. */
  linkToken: string | null;
}

/** Who is asking: an account (or nobody), and the link token the request carried, if any. */
export interface AccessSubject {
  /** Null for a visitor without an account (a secret link gives them at most `viewer`). */
  userId: string | null;
  /** Workspace admins are owners of every document. */
  admin: boolean;
  shareToken: string | null;
}

/** Everything one can do to a document, each needing a role. */
export type DocumentAction =
  | 'read' // metadata, content, presence, activity, history, who has access
  | 'edit' // content and title, named versions, restores
  | 'share' // change access, rotate the link
  | 'delete'; // move to the trash, empty it

const RANK: Readonly<Record<DocumentRole, number>> = { viewer: 1, editor: 2, owner: 3 };

const REQUIRED: Readonly<Record<DocumentAction, DocumentRole>> = {
  read: 'viewer',
  edit: 'editor',
  share: 'owner',
  delete: 'owner',
};

/** The stronger of two roles (null is no access). */
export function strongerRole(a: DocumentRole | null, b: DocumentRole | null): DocumentRole | null {
  if (a === null) return b;
  if (b === null) return a;
  return RANK[a] >= RANK[b] ? a : b;
}

/** Whether `role` is at least `atLeast`. */
export function hasRole(role: DocumentRole | null, atLeast: DocumentRole): boolean {
  return role !== null && RANK[role] >= RANK[atLeast];
}

/** The role an action needs. */
export function requiredRole(action: DocumentAction): DocumentRole {
  return REQUIRED[action];
}

/** Whether someone with `role` may do `action`. */
export function can(role: DocumentRole | null, action: DocumentAction): boolean {
  return hasRole(role, REQUIRED[action]);
}

/** Whether a link token opens this document: its general access is `link` and the token is the current one. */
export function linkOpens(rules: AccessRules, shareToken: string | null): boolean {
  return rules.general.scope === 'link' && shareToken !== null && rules.linkToken !== null && timingSafeEqualText(shareToken, rules.linkToken);
}

/**
 * The subject's effective role: the highest of admin (owner of everything), ownership, a
 * personal grant, workspace access (every account) and link access (whoever holds the current
 * link; without an account at most `viewer`). Null: no access at all.
 */
export function roleOn(rules: AccessRules, subject: AccessSubject): DocumentRole | null {
  let role: DocumentRole | null = null;
  if (subject.userId !== null) {
    if (subject.admin || subject.userId === rules.ownerId) return 'owner';
    role = rules.grants.get(subject.userId) ?? null;
    if (rules.general.scope === 'workspace') role = strongerRole(role, rules.general.role);
  }
  if (linkOpens(rules, subject.shareToken)) role = strongerRole(role, subject.userId === null ? 'viewer' : rules.general.role);
  return role;
}

/** Compares two strings in time that does not depend on where they differ (link tokens are secrets). */
function timingSafeEqualText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
