/** JSON shapes exchanged over the REST API and the activity stream. */

/** A signed-in person. `color` paints their caret and avatar. */
export interface User {
  id: string;
  name: string;
  color: string;
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

/** Body of `POST /api/session`'s answer. */
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
