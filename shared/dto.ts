/** JSON shapes exchanged over the REST API and the activity stream. */

/** An account's role in the whole workspace. */
export type Role = 'admin' | 'member';
export const ROLES: readonly Role[] = ['admin', 'member'];

/** Who someone is as others see them (presence, activity): `color` paints their caret and avatar. */
export interface UserIdentity {
  id: string;
  name: string;
  color: string;
}

/** The signed-in account. */
export interface User extends UserIdentity {
  email: string;
  role: Role;
}

/** Someone to share with, as `GET /api/users` lists them; admins also see `role` and `disabled`. */
export interface UserSummary {
  id: string;
  name: string;
  /** Null only for accounts carried over from name-only sign-in (disabled; admins see them). */
  email: string | null;
  color: string;
  role?: Role;
  disabled?: boolean;
}

/** Who may create an account: `invite` (default), anyone (`open`), or nobody after the first (`closed`). */
export type Registration = 'invite' | 'open' | 'closed';

/** `GET /api/auth/config`: what the sign-in screen should offer. */
export interface AuthConfig {
  registration: Registration;
  /** No account exists yet: the first one to be created becomes the admin. */
  needsFirstAccount: boolean;
  /** Single sign-on is configured (`GET /api/auth/oidc/start`). */
  oidc: boolean;
}

/** `POST /api/invites`' answer. */
export interface InviteCreated {
  code: string;
  /** The page to send: `/join/:code` on this server. */
  url: string;
  expiresAt: string;
}

/** `GET /api/invites/:code`: who invited, for whom and with what role. */
export interface InviteDetails {
  invitedBy: UserRef;
  email: string | null;
  role: Role;
  expiresAt: string;
}

/** A user as shown next to a document: who created or last edited it. */
export interface UserRef {
  id: string;
  name: string;
}

/** A document in lists. Times are ISO-8601 strings. */
export interface DocumentSummary {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
  createdBy: UserRef;
  updatedBy: UserRef | null;
  /** The caller's role on this document. */
  role: DocumentRole;
}

/** A document as the detail view needs it. */
export interface DocumentDetail extends DocumentSummary {
  /** Strong validator of the metadata, also sent as the `ETag` header. */
  version: number;
  /** Size in bytes of the stored Yjs state (snapshot plus pending updates). */
  sizeBytes: number;
}

/** Roles on one document, weakest first: read; also edit content and title; also share and delete. */
export const DOCUMENT_ROLES = ['viewer', 'editor', 'owner'] as const;
export type DocumentRole = (typeof DOCUMENT_ROLES)[number];

/** Who general access reaches: nobody beyond the grants, every active account, or holders of the secret link. */
export const ACCESS_SCOPES = ['private', 'workspace', 'link'] as const;
export type AccessScope = (typeof ACCESS_SCOPES)[number];

/** The role general access gives (never `owner`). */
export const GENERAL_ROLES = ['viewer', 'editor'] as const;
export type GeneralRole = (typeof GENERAL_ROLES)[number];

/** A document's general access: `{scope: 'workspace', role: 'editor'}` gives every account edit rights. */
export interface GeneralAccess {
  scope: AccessScope;
  role: GeneralRole;
}

/** One person's role on a document, beyond what general access gives them. */
export interface AccessGrant {
  user: { id: string; name: string; email: string | null; color: string };
  role: DocumentRole;
}

/** `GET/PUT /api/documents/:id/access`. `link` (a URL ending in `/s/:linkToken`) is shown to owners only. */
export interface DocumentAccess {
  owner: UserRef;
  general: GeneralAccess;
  grants: AccessGrant[];
  link: string | null;
}

/** The body of `PUT /api/documents/:id/access`: replaces general access and every grant. */
export interface DocumentAccessChange {
  general: GeneralAccess;
  grants: { user: { id: string }; role: DocumentRole }[];
}

/** `GET /api/links/:linkToken`: the document a valid secret link opens, and the role it gives this caller. */
export interface SharedLink {
  documentId: string;
  title: string;
  role: DocumentRole;
}

/** `GET /api/documents?filter=`: documents the caller owns, or that were shared with them by a grant. */
export const DOCUMENT_FILTERS = ['owned', 'shared'] as const;
export type DocumentFilter = (typeof DOCUMENT_FILTERS)[number];

/** What made a revision: the end of an edit burst, a named version, or a restore (one before it, one after). */
export const REVISION_KINDS = ['edit', 'named', 'restore'] as const;
export type RevisionKind = (typeof REVISION_KINDS)[number];

/** A stored state of a document (`GET /api/documents/:id/revisions`). Counts are characters; `words` for people. */
export interface Revision {
  id: number;
  kind: RevisionKind;
  label: string | null;
  createdAt: string;
  /** Whose changes it holds since the revision before it. */
  authors: UserRef[];
  inserted: number;
  deleted: number;
  words: { inserted: number; deleted: number };
}

/** Formats of `GET .../revisions/:rid/diff`. */
export const DIFF_FORMATS = ['json', 'html'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

/** A document in the trash (`GET /api/trash`). */
export interface TrashedDocument extends DocumentSummary {
  deletedAt: string;
}

/** Header that carries a secret link token on API requests (`share` query parameter where headers cannot be set). */
export const SHARE_HEADER = 'quire-share';
export const SHARE_PARAM = 'share';

/** One page of a cursor-paginated list. `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Body of `POST /api/session`'s and `POST /api/accounts`' answers. */
export interface SessionResponse {
  token: string;
  user: User;
}

/** An RFC 9457 problem document: every API error has this shape. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  /** Names of the request fields that failed validation, when that was the problem. */
  fields?: string[];
  /** On a 403 for a document: the role the request needed. */
  requiredRole?: DocumentRole;
}

/** Formats `GET /api/documents/:id/content` renders. */
export const CONTENT_FORMATS = ['json', 'html', 'text', 'markdown'] as const;
export type ContentFormat = (typeof CONTENT_FORMATS)[number];
