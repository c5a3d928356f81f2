/**
 * What ending sessions and changing a profile do to what is open: sync sockets of the ended
 * sessions close with 4401 and their activity streams end, on this instance and, through the
 * cluster bus, on every other one; a renamed account's connections carry the new name.
 */
import { CloseCode } from '../../../shared/close-codes.ts';
import type { UserIdentity } from '../../../shared/dto.ts';
import type { ClusterBus } from '../../cluster/bus.ts';
import {
  ClusterMessageKind,
  decodeEndedSessions,
  decodeIdentity,
  encodeEndedSessions,
  encodeIdentity,
  type ClusterMessage,
  type EndedSessions,
} from '../../cluster/messages.ts';
import type { Logger } from '../../logger.ts';
import type { RoomRegistry } from '../../sync/rooms.ts';
import type { ActivityHub } from '../activity/hub.ts';

export type { EndedSessions };

const EMPTY_DOCUMENT = '';

/** Whether a connection or stream of `sessionId`, `userId` belongs to the ended sessions. */
export function isEnded(ended: EndedSessions, sessionId: string, userId: string): boolean {
  if ('sessionId' in ended) return sessionId === ended.sessionId;
  return userId === ended.userId && sessionId !== ended.exceptSessionId;
}

/** Applies session ends and profile changes here, and announces them to the other instances. */
export class LiveSessions {
  constructor(
    private readonly rooms: RoomRegistry,
    private readonly hub: ActivityHub,
    private readonly bus: ClusterBus | null,
    private readonly logger: Logger,
  ) {
    bus?.onGlobal((message) => this.receive(message));
  }

  /** Sessions ended (their rows are gone): close what they hold open, everywhere. */
  ended(ended: EndedSessions): void {
    this.closeHere(ended);
    this.bus?.publishGlobal({ kind: ClusterMessageKind.sessionsEnded, documentId: EMPTY_DOCUMENT, payload: encodeEndedSessions(ended) });
  }

  /** An account's name or colour changed: its open connections show the new ones, everywhere. */
  profileChanged(identity: UserIdentity): void {
    this.rooms.updateUser(identity);
    this.bus?.publishGlobal({ kind: ClusterMessageKind.profileChanged, documentId: EMPTY_DOCUMENT, payload: encodeIdentity(identity) });
  }

  private closeHere(ended: EndedSessions): void {
    const closed = this.rooms.closeConnectionsWhere(
      (connection) => isEnded(ended, connection.sessionId, connection.user.id),
      CloseCode.unauthenticated,
      'signed out',
    );
    this.hub.endWhere((stream) => isEnded(ended, stream.sessionId, stream.userId), 'signed out');
    if (closed > 0) this.logger.debug('closed the sync connections of ended sessions', { closed });
  }

  private receive(message: ClusterMessage): void {
    try {
      if (message.kind === ClusterMessageKind.sessionsEnded) this.closeHere(decodeEndedSessions(message.payload));
      else if (message.kind === ClusterMessageKind.profileChanged) this.rooms.updateUser(decodeIdentity(message.payload));
    } catch (error) {
      this.logger.warn('ignored a malformed session message', { kind: message.kind, error });
    }
  }
}
