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
}

/** A document as the detail view needs it. */
export interface DocumentDetail extends DocumentSummary {
  /** Strong validator of the metadata, also sent as the `ETag` header. */
  version: number;
  /** Size in bytes of the stored Yjs state (snapshot plus pending updates). */
  sizeBytes: number;
}

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
}

/** Formats `GET /api/documents/:id/content` renders. */
export const CONTENT_FORMATS = ['json', 'html', 'text', 'markdown'] as const;
export type ContentFormat = (typeof CONTENT_FORMATS)[number];
