/** `/`: the documents, filterable (by title; all, owned or shared), paged, with create, rename and a move to the trash. */
import { useId, useState } from 'react';
import { useSearchParams } from 'wouter';
import { DOCUMENT_FILTERS, type DocumentFilter } from '../../../shared/dto.ts';
import { useDocumentList } from '../api/documents.ts';
import { errorMessage } from '../api/problem.ts';
import { useDebouncedValue, usePageTitle } from '../components/hooks.ts';
import { DocumentSearch } from '../search/DocumentSearch.tsx';
import { CreateDocumentForm } from './CreateDocumentForm.tsx';
import { DocumentRow } from './DocumentRow.tsx';
import { MoveToTrashNotice, useMoveToTrash } from './MoveToTrash.tsx';
import { OwnershipFilter } from './OwnershipFilter.tsx';

/** The `?filter=` of the page's address, kept there so a reload or a shared address keeps it. */
function useOwnershipFilter(): [DocumentFilter | undefined, (filter: DocumentFilter | undefined) => void] {
  const [params, setParams] = useSearchParams();
  const value = params.get('filter');
  const filter = DOCUMENT_FILTERS.find((known) => known === value);
  const setFilter = (next: DocumentFilter | undefined) =>
    setParams(
      (current) => {
        const updated = new URLSearchParams(current);
        if (next === undefined) updated.delete('filter');
        else updated.set('filter', next);
        return updated;
      },
      { replace: true },
    );
  return [filter, setFilter];
}

const EMPTY: Record<DocumentFilter | 'all', string> = {
  all: 'No documents yet. Create the first one above.',
  owned: 'You own no documents yet. Create one above.',
  shared: 'Nobody has shared a document with you yet.',
};

export function DocumentListPage() {
  usePageTitle('Documents');
  const [filter, setFilter] = useState('');
  const [ownership, setOwnership] = useOwnershipFilter();
  const query = useDebouncedValue(filter.trim(), 250);
  const list = useDocumentList(query, ownership);
  const filterId = useId();
  const headingId = useId();
  const documents = list.data?.pages.flatMap((page) => page.items) ?? [];
  const { moveToTrash, notice } = useMoveToTrash();

  return (
    <main className="page" id="main">
      <div className="page-header">
        <h1 id={headingId}>Documents</h1>
        <CreateDocumentForm />
      </div>
      <DocumentSearch />
      <MoveToTrashNotice notice={notice} />
      <OwnershipFilter value={ownership} onChange={setOwnership} />
      <div className="filter">
        <label htmlFor={filterId}>Filter by title</label>
        <input
          id={filterId}
          className="input"
          type="search"
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
          placeholder="Type to filter"
        />
      </div>

      {list.isPending && (
        <p className="muted" aria-busy="true">
          Loading documents…
        </p>
      )}
      {list.isError && documents.length === 0 && (
        <div className="error-state" role="alert">
          <p>Documents could not be loaded. {errorMessage(list.error)}</p>
          <button type="button" className="button" onClick={() => void list.refetch()}>
            Try again
          </button>
        </div>
      )}
      {list.isSuccess && documents.length === 0 && (
        <div className="empty-state">
          {query === '' ? (
            <p>{EMPTY[ownership ?? 'all']}</p>
          ) : (
            <p>No documents match “{query}”.</p>
          )}
        </div>
      )}
      {documents.length > 0 && (
        <ul className="document-list" aria-labelledby={headingId} aria-busy={list.isFetching && !list.isFetchingNextPage}>
          {documents.map((document) => (
            <DocumentRow key={document.id} document={document} onDelete={moveToTrash} />
          ))}
        </ul>
      )}
      {list.hasNextPage && (
        <button
          type="button"
          className="button load-more"
          onClick={() => void list.fetchNextPage()}
          disabled={list.isFetchingNextPage}
        >
          {list.isFetchingNextPage ? 'Loading…' : 'Load more documents'}
        </button>
      )}
    </main>
  );
}
