/** `/d/:id`: loads the document's metadata, then opens it for editing. */
import { useParams } from 'react-router';
import type { User } from '../../../shared/dto.ts';
import { useDocument } from '../api/documents.ts';
import { errorMessage, hasStatus } from '../api/problem.ts';
import { usePageTitle } from '../components/hooks.ts';
import { displayTitle } from '../activity/format.ts';
import { DocumentNotice } from './DocumentNotice.tsx';
import { DocumentWorkspace } from './DocumentWorkspace.tsx';
import { UnsentTextRescue } from './UnsentTextRescue.tsx';

export function EditorPage({ user }: { user: User }) {
  const { id = '' } = useParams();
  const document = useDocument(id, user.id);
  usePageTitle(document.data ? displayTitle(document.data.title) : 'Document');

  let content;
  if (document.data !== undefined) {
    content = <DocumentWorkspace key={id} document={document.data} user={user} />;
  } else if (hasStatus(document.error, 404)) {
    content = (
      <DocumentNotice kind="not-found">
        <UnsentTextRescue userId={user.id} documentId={id} />
      </DocumentNotice>
    );
  } else if (document.isError) {
    content = (
      <div className="error-state" role="alert">
        <p>The document could not be loaded. {errorMessage(document.error)}</p>
        <button type="button" className="button" onClick={() => void document.refetch()}>
          Try again
        </button>
      </div>
    );
  } else {
    content = (
      <p className="muted" aria-busy="true">
        Opening document…
      </p>
    );
  }
  return (
    <main className="page page-wide" id="main">
      {content}
    </main>
  );
}
