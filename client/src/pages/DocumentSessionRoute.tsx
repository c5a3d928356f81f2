/**
 * `/d/:id` and `/d/:id/history`: owns the document's collaboration session while any of its
 * pages is open, so the editor and its history page share one Y.Doc, connection and undo history.
 */
import { Suspense, type ReactNode } from 'react';
import { useParams } from 'wouter';
import type { DocumentDetail, User } from '../../../shared/dto.ts';
import { useDocument } from '../api/documents.ts';
import { KeptSessionContext } from '../collab/keptSession.ts';
import { useCollaboration } from '../collab/useCollaboration.ts';
import { Loading } from '../components/LoadStates.tsx';

function OpenSession({ document, user, children }: { document: DocumentDetail; user: User; children: ReactNode }) {
  const collaboration = useCollaboration(document.id, { userId: user.id, share: null, initialRole: document.role });
  return <KeptSessionContext.Provider value={{ documentId: document.id, collaboration }}>{children}</KeptSessionContext.Provider>;
}

export function DocumentSessionRoute({ user, children }: { user: User; children: ReactNode }) {
  const { id = '' } = useParams();
  const document = useDocument(id, user.id);
  // Each page says for itself when the document cannot be loaded; the session waits for its details.
  const pages = (
    <Suspense
      fallback={
        <main className="page page-wide" id="main">
          <Loading>Opening document…</Loading>
        </main>
      }
    >
      {children}
    </Suspense>
  );
  if (document.data === undefined || document.data.id !== id) return pages;
  return (
    <OpenSession key={id} document={document.data} user={user}>
      {pages}
    </OpenSession>
  );
}
