/** The list page's full-text search box and its results, and the import button beside it. */
import { useRef, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { useDebouncedValue } from '../components/hooks.ts';
import { importDocument, useSearch } from './searchApi.ts';
import { Snippet } from './Snippet.tsx';
import { IMPORT_EXTENSIONS } from '../../../shared/rich-content.ts';

export function DocumentSearch() {
  const [q, setQ] = useState('');
  const query = useDebouncedValue(q, 200);
  const results = useSearch(query);
  const [, navigate] = useLocation();
  const picker = useRef<HTMLInputElement>(null);
  const [importError, setImportError] = useState<string | null>(null);

  const onImport = async (file: File | undefined) => {
    if (!file) return;
    setImportError(null);
    try {
      const document = await importDocument(file);
      void navigate(`/d/${document.id}`);
    } catch (error) {
      setImportError(`${file.name} could not be imported: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  return (
    <section className="document-search" aria-label="Search documents">
      <div className="document-search-bar">
        <input
          type="search"
          aria-label="Search in documents"
          placeholder="Search titles and text…"
          value={q}
          onChange={(event) => setQ(event.target.value)}
          // Enter asks again: the index follows edits a few seconds behind, and a result shown
          // from before a document was indexed must not stay the answer until the words change.
          onKeyDown={(event) => {
            if (event.key === 'Enter' && query.trim()) void results.refetch();
          }}
        />
        <button type="button" onClick={() => picker.current?.click()}>
          Import file
        </button>
        <input
          ref={picker}
          type="file"
          hidden
          aria-label="File to import"
          accept={IMPORT_EXTENSIONS.join(',')}
          onChange={(event) => {
            void onImport(event.target.files?.[0]);
            event.target.value = '';
          }}
        />
      </div>
      {importError && <p role="alert" className="form-error">{importError}</p>}
      {query.trim() && (
        <ul className="search-results" aria-label="Search results">
          {results.data?.items.map((item) => (
            <li key={item.document.id}>
              <Link to={`/d/${item.document.id}`}>{item.document.title}</Link>
              <p>
                <Snippet html={item.snippet} />
              </p>
            </li>
          ))}
          {results.data && results.data.items.length === 0 && <li className="muted">No document matches “{query.trim()}”.</li>}
          {results.error && <li role="alert">Search failed: {results.error.message}</li>}
        </ul>
      )}
    </section>
  );
}
