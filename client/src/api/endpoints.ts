/**
 * The REST API as typed functions over Eden's treaty client, typed by the server's own app, so a
 * route or schema change on the server is a type error here. Every call goes through this module.
 */
import { treaty } from '@elysiajs/eden';
import type { JSONContent } from '@tiptap/core';
import type { App } from '../../../server/app.ts';
import type { ActivityEvent } from '../../../shared/activity.ts';
import {
  SHARE_HEADER,
  type AuthConfig,
  type DocumentAccess,
  type DocumentAccessChange,
  type DocumentDetail,
  type DocumentFilter,
  type DocumentSummary,
  type InviteCreated,
  type InviteDetails,
  type Page,
  type Revision,
  type Role,
  type SessionResponse,
  type SharedLink,
  type TrashedDocument,
  type User,
  type UserSummary,
} from '../../../shared/dto.ts';
import { REQUEST_TIMEOUT_MS, takeEarly } from './earlyRequests.ts';
import { ApiError, asProblem } from './problem.ts';

/**
 * `fetch` with a deadline: on a network that swallows packets a request would otherwise hang
 * for minutes, and the app could not fall back to what it cached. A timeout is reported as the
 * same TypeError a failed fetch throws. A GET the boot script already sent is taken, not repeated.
 */
async function fetchWithDeadline(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const signal = init?.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]) : AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  try {
    return await (takeEarly(input, init) ?? fetch(input, { ...init, signal }));
  } catch (error) {
    if (error instanceof DOMException && error.name === 'TimeoutError') throw new TypeError('The server did not answer in time.');
    throw error;
  }
}

const client = treaty<App>(typeof window === 'undefined' ? 'http://localhost' : window.location.origin, {
  // Times stay ISO strings, as the shared DTOs declare them.
  parseDate: false,
  fetch: { credentials: 'same-origin' },
  fetcher: fetchWithDeadline as typeof fetch,
});

type EdenResult<T> =
  | { data: T; error: null }
  | { data: null; error: { status: unknown; value: unknown }; response?: Response };

/**
 * The data of a successful call; an ApiError carrying the problem document when the server
 * answered with an error; a TypeError (as `fetch` throws) when no answer came at all, which
 * Eden reports as a 503 without a response.
 */
async function unwrap<T>(call: Promise<EdenResult<T>>): Promise<T> {
  const result = await call;
  if (result.error === null) return result.data;
  if (result.response === undefined) {
    const cause = result.error.value;
    throw cause instanceof TypeError ? cause : new TypeError(cause instanceof Error ? cause.message : 'The server cannot be reached.');
  }
  throw new ApiError(Number(result.error.status) || 0, asProblem(result.error.value));
}

/** The secret link token a document was opened with (`/s/:linkToken`); null when opened by account. */
export type ShareToken = string | null | undefined;

/** The header that lets a secret link's holder in; none without a token. */
export function shareHeaders(share: ShareToken): Record<string, string> | undefined {
  return share ? { [SHARE_HEADER]: share } : undefined;
}

/** Listing parameters for documents. */
export interface DocumentListParams {
  q?: string;
  /** Only documents the caller owns, or only those shared with them; all readable ones when absent. */
  filter?: DocumentFilter;
  cursor?: string | null;
  limit?: number;
}

/** Listing parameters for activity history. */
export interface ActivityListParams {
  documentId?: string;
  /** With `documentId`: the link token that document was opened with. */
  share?: ShareToken;
  before?: string | null;
  limit?: number;
}

const documentRoute = (id: string) => client.api.documents({ id });
const revisionRoute = (id: string, revisionId: number) => documentRoute(id).revisions({ rid: String(revisionId) });

/** Email and password, as the sign-in form sends them. */
export interface Credentials {
  email: string;
  password: string;
}

/** A new account; `invite` is the code from an invite link. */
export interface NewAccount extends Credentials {
  name: string;
  invite?: string;
}

export const authApi = {
  /** What the signed-out screens offer: first run, sign-up, single sign-on. */
  config(): Promise<AuthConfig> {
    return unwrap(client.api.auth.config.get());
  },
};

export const sessionApi = {
  /** The signed-in user; throws ApiError 401 when signed out. */
  async current(): Promise<User> {
    return (await unwrap(client.api.session.get())).user;
  },
  signIn(credentials: Credentials): Promise<SessionResponse> {
    return unwrap(client.api.session.post(credentials));
  },
  async signOut(): Promise<void> {
    await unwrap(client.api.session.delete());
  },
};

export const accountsApi = {
  /** Creates an account and signs it in (the cookie comes with the answer). */
  create(account: NewAccount): Promise<SessionResponse> {
    return unwrap(client.api.accounts.post(account));
  },
};

export const usersApi = {
  /** Up to `limit` (1..100) accounts whose name or email matches `q`; admins also get role, status and disabled accounts. */
  list(q?: string, limit?: number): Promise<UserSummary[]> {
    const trimmed = q?.trim();
    return unwrap(client.api.users.get({ query: { q: trimmed === '' ? undefined : trimmed, limit } }));
  },
  updateMe(changes: { name?: string; color?: string }): Promise<User> {
    return unwrap(client.api.users.me.patch(changes));
  },
  async changePassword(current: string, next: string): Promise<void> {
    await unwrap(client.api.users.me.password.post({ current, next }));
  },
  /** An admin changes someone's role or disables them. */
  update(id: string, changes: { role?: Role; disabled?: boolean }): Promise<UserSummary> {
    return unwrap(client.api.users({ id }).patch(changes));
  },
};

export const invitesApi = {
  create(invite: { email?: string; role: Role }): Promise<InviteCreated> {
    return unwrap(client.api.invites.post(invite));
  },
  /** Who invited, for an invite link; 404 when the code is unknown, used or expired. */
  get(code: string): Promise<InviteDetails> {
    return unwrap(client.api.invites({ code }).get());
  },
};

export const documentsApi = {
  list(params: DocumentListParams): Promise<Page<DocumentSummary>> {
    const q = params.q?.trim();
    return unwrap(
      client.api.documents.get({
        query: { q: q === '' ? undefined : q, cursor: params.cursor ?? undefined, limit: params.limit, filter: params.filter },
      }),
    );
  },
  get(id: string, share?: ShareToken): Promise<DocumentDetail> {
    return unwrap(documentRoute(id).get({ headers: shareHeaders(share) }));
  },
  create(title: string): Promise<DocumentDetail> {
    return unwrap(client.api.documents.post({ title }));
  },
  /** Renames; with `version`, fails with 412 when someone else changed the document first. */
  rename(id: string, title: string, version?: number, share?: ShareToken): Promise<DocumentDetail> {
    const headers = { ...shareHeaders(share), ...(version === undefined ? {} : { 'if-match': `"${version}"` }) };
    return unwrap(documentRoute(id).patch({ title }, { headers }));
  },
  async remove(id: string): Promise<void> {
    await unwrap(documentRoute(id).delete());
  },
};

export const activityApi = {
  list(params: ActivityListParams): Promise<Page<ActivityEvent>> {
    return unwrap(
      client.api.activity.get({
        query: { documentId: params.documentId, before: params.before ?? undefined, limit: params.limit },
        headers: shareHeaders(params.share),
      }),
    );
  },
};

export const accessApi = {
  /** Who may open a document and how; `link` is there for owners only. */
  get(id: string, share?: ShareToken): Promise<DocumentAccess> {
    return unwrap(documentRoute(id).access.get({ headers: shareHeaders(share) }));
  },
  /** An owner replaces general access and every grant. */
  update(id: string, change: DocumentAccessChange): Promise<DocumentAccess> {
    return unwrap(documentRoute(id).access.put(change));
  },
  /** An owner makes a new secret link; the old one stops working. */
  resetLink(id: string): Promise<DocumentAccess> {
    return unwrap(documentRoute(id).access.link.post());
  },
};

export const linksApi = {
  /** The document a secret link opens and the role it gives; 404 for a wrong or reset link. */
  get(linkToken: string): Promise<SharedLink> {
    return unwrap(client.api.links({ linkToken }).get());
  },
};

/** Listing parameters for a document's revisions. */
export interface RevisionListParams {
  cursor?: string | null;
  limit?: number;
  share?: ShareToken;
}

export const historyApi = {
  /** A document's revisions, newest first. */
  list(id: string, params: RevisionListParams): Promise<Page<Revision>> {
    return unwrap(
      documentRoute(id).revisions.get({ query: { cursor: params.cursor ?? undefined, limit: params.limit }, headers: shareHeaders(params.share) }),
    );
  },
  /**
   * A revision as ProseMirror JSON with `insertion` and `deletion` marks (each naming its
   * author) against `from`, or against the revision before it.
   */
  diff(id: string, revisionId: number, from?: number, share?: ShareToken): Promise<JSONContent> {
    return unwrap(
      revisionRoute(id, revisionId).diff.get({ query: { format: 'json', from: from === undefined ? undefined : String(from) }, headers: shareHeaders(share) }),
    ) as Promise<JSONContent>;
  },
  /** An editor names the document's current state. */
  name(id: string, label: string): Promise<Revision> {
    return unwrap(documentRoute(id).revisions.post({ label }));
  },
  /**
   * An editor returns the document to a revision's content; the answer is the revision that change
   * made. `nonce` signs the change so this tab's editor can undo it (collab/restoreUndo.ts).
   */
  restore(id: string, revisionId: number, nonce?: string): Promise<Revision> {
    return unwrap(revisionRoute(id, revisionId).restore.post(nonce === undefined ? {} : { nonce }));
  },
};

export const trashApi = {
  /** Deleted documents the caller owns (all of them for an admin), most recently deleted first. */
  list(cursor?: string | null, limit?: number): Promise<Page<TrashedDocument>> {
    return unwrap(client.api.trash.get({ query: { cursor: cursor ?? undefined, limit } }));
  },
  /** Brings a document back with its content, history and access. */
  restore(id: string): Promise<DocumentDetail> {
    return unwrap(client.api.trash({ id }).restore.post());
  },
  /** Deletes a document from the trash for good. */
  async remove(id: string): Promise<void> {
    await unwrap(client.api.trash({ id }).delete());
  },
};
