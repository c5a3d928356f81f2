/** `/d/:id/history`: a document's revisions, one of them (`?revision=`, else the newest) shown with who changed what. */
import { useMemo } from 'react';
import { Link, useParams, useSearchParams } from 'wouter';
import type { DocumentDetail, User } from '../../../shared/dto.ts';
import { displayTitle } from '../activity/format.ts';
import { useDocument } from '../api/documents.ts';
import { useRevisions } from '../api/history.ts';
import { hasStatus } from '../api/problem.ts';
import { usePageTitle } from '../components/hooks.ts';
import { LoadFailure, Loading } from '../components/LoadStates.tsx';
import { DocumentNotice } from '../pages/DocumentNotice.tsx';
import { useDistinctNames } from '../people/useDistinctNames.ts';
import { authorColors } from './changes.ts';
import { RevisionPanel } from './RevisionPanel.tsx';
import { revisionSearch, RevisionTimeline } from './RevisionTimeline.tsx';

/** A revision id from the address, or undefined when absent or not one. */
function revisionParam(value: string | null): number | undefined {
  if (value === null || !/^\d{1,15}$/.test(value)) return undefined;
  return Number(value);
}

function HistoryView({ document }: { document: DocumentDetail }) {
  const [params, setParams] = useSearchParams();
  const revisions = useRevisions(document.id);
  const items = useMemo(() => revisions.data?.pages.flatMap((page) => page.items) ?? [], [revisions.data]);
  const authors = useMemo(() => items.flatMap((revision) => revision.authors), [items]);
  const nameOf = useDistinctNames(authors);
  const colorOf = useMemo(() => authorColors(authors), [authors]);
  const selectedId = revisionParam(params.get('revision')) ?? items[0]?.id;
  const title = displayTitle(document.title);

  return (
    <>
      <div className="page-header">
        <h1>History of “{title}”</h1>
        <Link to={`/d/${encodeURIComponent(document.id)}`} className="button">
          Back to document
        </Link>
      </div>
      <div className="history-layout">
        <RevisionTimeline revisions={revisions} selectedId={selectedId ?? null} nameOf={nameOf} colorOf={colorOf} />
        {selectedId !== undefined && (
          <RevisionPanel
            // A fresh panel per revision: no form, dialog or stale changes carried over.
            key={selectedId}
            documentId={document.id}
            revisionId={selectedId}
            from={revisionParam(params.get('from'))}
            revision={items.find((revision) => revision.id === selectedId)}
            isNewest={selectedId === items[0]?.id}
            canEdit={document.role !== 'viewer'}
            nameOf={nameOf}
            people={authors}
            onSelect={(revisionId) => setParams(new URLSearchParams(revisionSearch(revisionId)))}
          />
        )}
      </div>
    </>
  );
}

export function HistoryPage({ user }: { user: User }) {
  const { id = '' } = useParams();
  const document = useDocument(id, user.id);
  usePageTitle(document.data ? `History of ${displayTitle(document.data.title)}` : 'History');

  let content;
  if (document.data !== undefined) content = <HistoryView document={document.data} />;
  else if (hasStatus(document.error, 404)) content = <DocumentNotice kind="not-found" />;
  else if (document.isError) {
    content = <LoadFailure what="The document could not be loaded." error={document.error} onRetry={() => void document.refetch()} />;
  } else content = <Loading>Opening history…</Loading>;
  return (
    <main className="page page-wide history-page" id="main">
      {content}
    </main>
  );
}
