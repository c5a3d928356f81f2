/** The activity feed's event union: what the server stores and streams, what the client shows. */
import type { UserIdentity } from './dto.ts';

interface ActivityBase {
  /** Strictly increasing across the whole deployment; also the SSE `id:`. */
  id: number;
  documentId: string;
  /** The title at the time of the event. */
  documentTitle: string;
  /** As the actor was named when the event happened (renames do not rewrite history). */
  actor: UserIdentity;
  /** ISO-8601 time. */
  at: string;
}

export interface DocumentCreatedEvent extends ActivityBase {
  type: 'document.created';
  details: Record<string, never>;
}

export interface DocumentRenamedEvent extends ActivityBase {
  type: 'document.renamed';
  details: { from: string; to: string };
}

export interface DocumentDeletedEvent extends ActivityBase {
  type: 'document.deleted';
  details: Record<string, never>;
}

export interface DocumentEditedEvent extends ActivityBase {
  type: 'document.edited';
  /**
   * One burst of one person's editing: characters and words inserted and deleted, net of what
   * the same burst undid; a short excerpt of the inserted text, block breaks kept as "\n"; and
   * the revision stored at the end of the burst. `words` and `revisionId` are absent on events
   * stored before history existed.
   */
  details: { inserted: number; deleted: number; words?: { inserted: number; deleted: number }; excerpt: string; revisionId?: number };
}

export interface DocumentRestoredEvent extends ActivityBase {
  type: 'document.restored';
  /** The revision whose content the document returned to. */
  details: { revisionId: number };
}

/** Any activity event. Narrow on `type`. */
export type ActivityEvent =
  | DocumentCreatedEvent
  | DocumentRenamedEvent
  | DocumentDeletedEvent
  | DocumentEditedEvent
  | DocumentRestoredEvent;

export type ActivityType = ActivityEvent['type'];

export const ACTIVITY_TYPES: readonly ActivityType[] = [
  'document.created',
  'document.renamed',
  'document.deleted',
  'document.edited',
  'document.restored',
];

/** An event before storage gives it an id. */
export type NewActivityEvent = ActivityEvent extends infer E
  ? E extends ActivityEvent
    ? Omit<E, 'id'>
    : never
  : never;

/**
 * Not an event but a notice on the stream (`event: access.revoked`, no `id:`): the reader lost
 * read access to a document it had been sent events of, so it drops them from what it shows.
 */
export const ACCESS_REVOKED_EVENT = 'access.revoked';

/** The data of an `access.revoked` notice. */
export interface AccessRevokedNotice {
  documentId: string;
}
