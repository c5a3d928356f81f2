/** An open document: title, presence, connection state, sharing, editor and its activity sidebar. */
import { memo, Suspense, useEffect, useId, useState } from 'react';
import { Link, useLocation } from 'wouter';
import type { DocumentDeletedEvent } from '../../../shared/activity.ts';
import type { DocumentDetail, User } from '../../../shared/dto.ts';
import { ActivityFeed } from '../activity/ActivityFeed.tsx';
import { useForgetActivityWhen, useLiveActivity } from '../activity/ActivityStreamProvider.tsx';
import { CollaborativeEditor } from '../app/lazyPages.tsx';
import { signInPathTo } from '../app/returnPath.ts';
import { markEditorReady } from '../app/serviceWorker.ts';
import { ConnectionBadge } from '../collab/ConnectionBadge.tsx';
import { hasUnsaved, unsentCount } from '../collab/connection.ts';
import { useKeptSession } from '../collab/keptSession.ts';
import { PresenceAvatars } from '../collab/PresenceAvatars.tsx';
import { useCollaboration } from '../collab/useCollaboration.ts';
import { useUnsentWarning } from '../collab/useUnsentWarning.ts';
import { Loading } from '../components/LoadStates.tsx';
import { TitleField } from '../editor/TitleField.tsx';
import { ReadOnlyBanner } from '../sharing/ReadOnlyBanner.tsx';
import { ShareButton } from '../sharing/ShareButton.tsx';
import { useShareToken } from '../sharing/shareToken.tsx';
import { DocumentNotice } from './DocumentNotice.tsx';
import { UnsentTextRescue } from './UnsentTextRescue.tsx';

/** The sidebar's feed, which has nothing to redraw when the workspace does for a keystroke. */
const DocumentActivity = memo(ActivityFeed);

/**
 * The deletion of this document since it opened, if the live feed has seen one. Earlier ones
 * were undone from the trash (else it would not have loaded), so they are not news.
 */
function useDeletion(documentId: string): DocumentDeletedEvent | undefined {
  const { events, lastEventId } = useLiveActivity();
  const [openedAfter] = useState(lastEventId ?? 0);
  return events.find(
    (event): event is DocumentDeletedEvent =>
      event.type === 'document.deleted' && event.documentId === documentId && event.id > openedAfter,
  );
}

type Collaboration = ReturnType<typeof useCollaboration>;

/**
 * `user` null: a visitor without an account, who came through a secret link and can only read.
 * Under `/d/:id` the session is the one its route keeps for the editor and the history page;
 * through a secret link the workspace opens its own.
 */
export function DocumentWorkspace({ document, user }: { document: DocumentDetail; user: User | null }) {
  const kept = useKeptSession(document.id);
  if (kept !== null) return <Workspace document={document} user={user} collaboration={kept} />;
  return <OwnSessionWorkspace document={document} user={user} />;
}

function OwnSessionWorkspace({ document, user }: { document: DocumentDetail; user: User | null }) {
  const collaboration = useCollaboration(document.id, { userId: user?.id ?? null, share: useShareToken(), initialRole: document.role });
  return <Workspace document={document} user={user} collaboration={collaboration} />;
}

function Workspace({ document, user, collaboration }: { document: DocumentDetail; user: User | null; collaboration: Collaboration }) {
  const share = useShareToken();
  const { session, connection, role: connectionRole } = collaboration;
  // The document's details say the role it opened with; the connection says how it changes.
  const role = connectionRole ?? document.role;
  const editable = role !== 'viewer';
  const deletion = useDeletion(document.id);
  const [pathname] = useLocation();
  const sidebarHeadingId = useId();
  useUnsentWarning(hasUnsaved(connection));
  const lostAccess = connection.phase === 'forbidden';
  useForgetActivityWhen(lostAccess, document.id);
  // The document is on screen and editable: the offline cache may start downloading now.
  useEffect(() => {
    if (session !== null && connection.hasSynced) markEditorReady();
  }, [session, connection.hasSynced]);

  const rescue = session !== null && user !== null && (
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
  if (lostAccess) return <DocumentNotice kind="forbidden">{rescue}</DocumentNotice>;

  return (
    <div className="workspace">
      <div className="workspace-main">
        <div className="document-header">
          <TitleField document={document} readOnly={!editable} />
          <div className="document-header-status">
            {session !== null && <PresenceAvatars provider={session.provider} self={user} />}
            <ConnectionBadge state={connection} />
            {/* History is opened by account; a secret link reaches the document alone. */}
            {share === null && user !== null && (
              <Link to={`/d/${encodeURIComponent(document.id)}/history`} className="button">
                History
              </Link>
            )}
            <ShareButton documentId={document.id} title={document.title} role={role} />
          </div>
        </div>
        {!editable && (
          <ReadOnlyBanner signInPath={user === null ? signInPathTo(pathname) : null}>
            {/* Edits made before the role dropped, which the server then discarded. */}
            {rescue}
          </ReadOnlyBanner>
        )}
        {session !== null && (
          <Suspense fallback={<Loading>Opening the editor…</Loading>}>
            <CollaborativeEditor session={session} user={user} editable={editable} />
          </Suspense>
        )}
      </div>
      <aside className="sidebar" aria-labelledby={sidebarHeadingId}>
        <h2 id={sidebarHeadingId}>Activity</h2>
        <DocumentActivity documentId={document.id} />
      </aside>
    </div>
  );
}
