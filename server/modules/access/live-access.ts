/**
 * What an access change does to what is open, on this instance and, through the cluster bus,
 * on every other one: each sync connection of the document re-asks the policy with the rules
 * now in storage (losing read closes it with 4403; editor to viewer turns it read-only; viewer
 * to editor lets it write), and activity streams see the admin flag of an account change.
 * Activity streams need nothing else: they ask the stored rules for every event they deliver.
 */
import type { ClusterBus } from '../../cluster/bus.ts';
import { ClusterMessageKind, decodeAccessRules, decodeAdminChange, encodeAccessRules, encodeAdminChange, type ClusterMessage } from '../../cluster/messages.ts';
import type { Logger } from '../../logger.ts';
import { roleOn, type AccessRules } from '../../policy/document-access.ts';
import type { Store } from '../../storage/store.ts';
import type { RoomRegistry } from '../../sync/rooms.ts';
import type { ActivityHub } from '../activity/hub.ts';
import type { AccessChangeListener } from './service.ts';

/** Brings open connections and streams in line with access changes, everywhere. */
export class LiveAccess implements AccessChangeListener {
  constructor(
    private readonly store: Store,
    private readonly rooms: RoomRegistry,
    private readonly hub: ActivityHub,
    private readonly bus: ClusterBus | null,
    private readonly logger: Logger,
  ) {
    bus?.onGlobal((message) => this.receive(message));
  }

  /** A document's general access, grants or link changed (already stored); `before`, the rules as they were. */
  documentAccessChanged(documentId: string, before: AccessRules): void {
    void this.applyHere([documentId], new Map([[documentId, before]]));
    this.bus?.publishGlobal({ kind: ClusterMessageKind.accessChanged, documentId, payload: encodeAccessRules(before) });
  }

  /** An account became, or stopped being, an admin (who owns every document). */
  adminChanged(userId: string, admin: boolean): void {
    void this.adminChangedHere(userId, admin);
    this.bus?.publishGlobal({ kind: ClusterMessageKind.adminChanged, documentId: '', payload: encodeAdminChange({ userId, admin }) });
  }

  private async adminChangedHere(userId: string, admin: boolean): Promise<void> {
    const mine = (subject: { userId: string | null }) => subject.userId === userId;
    this.hub.updateSubjects(mine, { admin });
    const documents = new Set<string>();
    for (const connection of this.rooms.connectionsWhere((candidate) => mine(candidate.access.subject))) {
      connection.access.subject = { ...connection.access.subject, admin };
      documents.add(connection.documentId);
    }
    await this.applyHere([...documents]);
  }

  /** Re-asks the policy for every open connection of these documents, with the stored rules. */
  private async applyHere(documentIds: readonly string[], before: ReadonlyMap<string, AccessRules> = new Map()): Promise<void> {
    if (documentIds.length === 0) return;
    try {
      const rules = await this.store.access.rules(documentIds);
      const wanted = new Set(documentIds);
      this.rooms.applyAccess(
        (connection) => wanted.has(connection.documentId),
        (connection) => {
          const documentRules = rules.get(connection.documentId);
          return documentRules ? roleOn(documentRules, connection.access.subject) : null;
        },
      );
      for (const documentId of documentIds) this.hub.accessChanged(documentId, before.get(documentId), rules.get(documentId));
    } catch (error) {
      // Storage is away: connections keep their roles until the next change; never fail the caller.
      this.logger.error('applying an access change to open connections failed', { documentIds, error });
    }
  }

  private receive(message: ClusterMessage): void {
    try {
      if (message.kind === ClusterMessageKind.accessChanged) {
        const before = message.payload.byteLength > 0 ? new Map([[message.documentId, decodeAccessRules(message.payload)]]) : new Map<string, AccessRules>();
        void this.applyHere([message.documentId], before);
      }
      else if (message.kind === ClusterMessageKind.adminChanged) {
        const change = decodeAdminChange(message.payload);
        void this.adminChangedHere(change.userId, change.admin);
      }
    } catch (error) {
      this.logger.warn('ignored a malformed access message', { kind: message.kind, error });
    }
  }
}
