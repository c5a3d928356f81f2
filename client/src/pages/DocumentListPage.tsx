/** `/`: the documents, filterable, paged, with create, rename and delete. */
import { useId, useState } from 'react';
import { useDocumentList } from '../api/documents.ts';
import { errorMessage } from '../api/problem.ts';
import { useDebouncedValue, usePageTitle } from '../components/hooks.ts';
import { CreateDocumentForm } from './CreateDocumentForm.tsx';
import { DocumentRow } from './DocumentRow.tsx';

export function DocumentListPage() {
  usePageTitle('Documents');
  const [filter, setFilter] = useState('');
  const query = useDebouncedValue(filter.trim(), 250);
  const list = useDocumentList(query);
  const filterId = useId();
  const headingId = useId();
  const documents = list.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <main className="page" id="main">
      <div className="page-header">
        <h1 id={headingId}>Documents</h1>
        <CreateDocumentForm />
      </div>
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
            <p>No documents yet. Create the first one above.</p>
          ) : (
            <p>No documents match “{query}”.</p>
          )}
        </div>
      )}
      {documents.length > 0 && (
        <ul className="document-list" aria-labelledby={headingId} aria-busy={list.isFetching && !list.isFetchingNextPage}>
          {documents.map((document) => (
            <DocumentRow key={document.id} document={document} />
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
