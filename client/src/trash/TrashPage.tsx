/** `/trash`: deleted documents, kept for a while, each restorable or deletable for good. */
import { useId, useState } from 'react';
import { Link } from 'wouter';
import type { DocumentDetail } from '../../../shared/dto.ts';
import { displayTitle } from '../activity/format.ts';
import { useTrash } from '../api/trash.ts';
import { usePageTitle } from '../components/hooks.ts';
import { LoadFailure, Loading } from '../components/LoadStates.tsx';
import { TrashRow } from './TrashRow.tsx';

export function TrashPage() {
  usePageTitle('Trash');
  const trash = useTrash();
  const [restored, setRestored] = useState<DocumentDetail | null>(null);
  const headingId = useId();
  const documents = trash.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <main className="page" id="main">
      <div className="page-header">
        <h1 id={headingId}>Trash</h1>
      </div>
      <p className="muted">Deleted documents wait here with their history and sharing until they are restored, deleted for good, or their time in the trash runs out.</p>
      <div role="status" className="page-status">
        {restored !== null && (
          <p>
            Restored “{displayTitle(restored.title)}”. <Link to={`/d/${encodeURIComponent(restored.id)}`}>Open it</Link>
          </p>
        )}
      </div>
      {trash.isPending && <Loading>Loading the trash…</Loading>}
      {trash.isError && documents.length === 0 && (
        <LoadFailure what="The trash could not be loaded." error={trash.error} onRetry={() => void trash.refetch()} />
      )}
      {trash.isSuccess && documents.length === 0 && (
        <div className="empty-state">
          <p>The trash is empty.</p>
        </div>
      )}
      {documents.length > 0 && (
        <ul className="document-list" aria-labelledby={headingId}>
          {documents.map((document) => (
            <TrashRow key={document.id} document={document} onRestored={setRestored} />
          ))}
        </ul>
      )}
      {trash.hasNextPage && (
        <button type="button" className="button load-more" onClick={() => void trash.fetchNextPage()} disabled={trash.isFetchingNextPage}>
          {trash.isFetchingNextPage ? 'Loading…' : 'Show more'}
        </button>
      )}
    </main>
  );
}
