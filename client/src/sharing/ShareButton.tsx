/**
 * "Share" in the editor, for everyone who can open the document: owners change who has access
 * in the dialog, everyone else sees it. Access is asked afresh each time the dialog opens.
 */
import { lazy, Suspense, useId, useState } from 'react';
import type { DocumentRole } from '../../../shared/dto.ts';
import { displayTitle } from '../activity/format.ts';
import { useDocumentAccess } from '../api/access.ts';
import { LoadFailure, Loading } from '../components/LoadStates.tsx';
import { useModalDialog } from '../components/useModalDialog.ts';
import { useShareToken } from './shareToken.tsx';

// The dialog's contents load when it first opens, not with the editor.
const AccessEditor = lazy(() => import('./AccessEditor.tsx').then((module) => ({ default: module.AccessEditor })));
const AccessSummary = lazy(() => import('./AccessSummary.tsx').then((module) => ({ default: module.AccessSummary })));

export function ShareButton({ documentId, title, role }: { documentId: string; title: string; role: DocumentRole }) {
  const [open, setOpen] = useState(false);
  const dialog = useModalDialog(open);
  const { query: access, forget } = useDocumentAccess(documentId, useShareToken(), open);
  const titleId = useId();
  const close = () => {
    setOpen(false);
    forget();
  };

  // Built only while open, so each opening starts from what the server says then.
  let body = null;
  if (!open) {
    body = null;
  } else if (access.data !== undefined) {
    body =
      role === 'owner' ? (
        <AccessEditor access={access.data} documentId={documentId} onClose={close} />
      ) : (
        <AccessSummary access={access.data} documentId={documentId} onClose={close} />
      );
  } else if (access.isError) {
    body = (
      <LoadFailure what="Who has access could not be loaded." error={access.error} onRetry={() => void access.refetch()}>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={close}>
            Close
          </button>
          <button type="button" className="button button-primary" onClick={() => void access.refetch()}>
            Try again
          </button>
        </div>
      </LoadFailure>
    );
  } else {
    body = <Loading>Loading who has access…</Loading>;
  }

  return (
    <>
      <button type="button" className="button" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        Share
      </button>
      <dialog
        ref={dialog}
        className="dialog share-dialog"
        aria-labelledby={titleId}
        onCancel={(event) => {
          event.preventDefault();
          close();
        }}
      >
        <h2 id={titleId}>Share “{displayTitle(title)}”</h2>
        <Suspense fallback={<Loading>Loading who has access…</Loading>}>{body}</Suspense>
      </dialog>
    </>
  );
}
