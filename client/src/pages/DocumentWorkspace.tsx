/** An open document: title, presence, connection state, editor and its activity sidebar. */
import { useId } from 'react';
import type { DocumentDeletedEvent } from '../../../shared/activity.ts';
import type { DocumentDetail, User } from '../../../shared/dto.ts';
import { ActivityFeed } from '../activity/ActivityFeed.tsx';
import { useLiveActivity } from '../activity/ActivityStreamProvider.tsx';
import { ConnectionBadge } from '../collab/ConnectionBadge.tsx';
import { hasUnsaved, unsentCount } from '../collab/connection.ts';
import { PresenceAvatars } from '../collab/PresenceAvatars.tsx';
import { useCollaboration } from '../collab/useCollaboration.ts';
import { useUnsentWarning } from '../collab/useUnsentWarning.ts';
import { CollaborativeEditor } from '../editor/CollaborativeEditor.tsx';
import { TitleField } from '../editor/TitleField.tsx';
import { DocumentNotice } from './DocumentNotice.tsx';
import { UnsentTextRescue } from './UnsentTextRescue.tsx';

/** The deletion of this document, if the live feed has seen it. */
function useDeletion(documentId: string): DocumentDeletedEvent | undefined {
  const { events } = useLiveActivity();
  return events.find(
    (event): event is DocumentDeletedEvent => event.type === 'document.deleted' && event.documentId === documentId,
  );
}

export function DocumentWorkspace({ document, user }: { document: DocumentDetail; user: User }) {
  const { session, connection } = useCollaboration(document.id, user.id);
  const deletion = useDeletion(document.id);
  const sidebarHeadingId = useId();
  useUnsentWarning(hasUnsaved(connection));

  const rescue = session !== null && (
    <UnsentTextRescue userId={user.id} documentId={document.id} ydoc={session.ydoc} unsent={unsentCount(connection)} />
  );
  if (connection.phase === 'gone' || deletion !== undefined) {
    return (
      <DocumentNotice kind="deleted" deletion={deletion}>
        {rescue}
      </DocumentNotice>
    );
  }
  if (connection.phase === 'unauthenticated') return <DocumentNotice kind="signed-out" />;
  if (connection.phase === 'forbidden') return <DocumentNotice kind="forbidden">{rescue}</DocumentNotice>;

  return (
    <div className="workspace">
      <div className="workspace-main">
        <div className="document-header">
          <TitleField document={document} />
          <div className="document-header-status">
            {session !== null && <PresenceAvatars provider={session.provider} self={user} />}
            <ConnectionBadge state={connection} />
          </div>
        </div>
        {session !== null && <CollaborativeEditor session={session} user={user} />}
      </div>
      <aside className="sidebar" aria-labelledby={sidebarHeadingId}>
        <h2 id={sidebarHeadingId}>Activity</h2>
        <ActivityFeed documentId={document.id} />
      </aside>
    </div>
  );
}
