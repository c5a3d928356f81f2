/** Full-text search and file import over REST. */
import { useQuery } from '@tanstack/react-query';
import type { DocumentDetail } from '../../../shared/dto.ts';
import type { SearchPage } from '../../../shared/rich-content.ts';

async function problemDetail(response: Response): Promise<string> {
  const problem = (await response.json().catch(() => null)) as { detail?: string } | null;
  return problem?.detail ?? `the server answered ${response.status}`;
}

/** Documents whose title or text hold every word of `q`; nothing is asked for an empty query. */
export function useSearch(q: string, limit = 20) {
  const query = q.trim();
  return useQuery({
    queryKey: ['search', query, limit],
    enabled: query.length > 0,
    queryFn: async ({ signal }) => {
      const response = await fetch(`/api/search?q=${encodeURIComponent(query)}&limit=${limit}`, { signal, credentials: 'same-origin' });
      if (!response.ok) throw new Error(await problemDetail(response));
      return (await response.json()) as SearchPage;
    },
    placeholderData: (previous) => previous,
    staleTime: 1000,
  });
}

/** Creates a document from a Markdown, HTML or Word file. */
export async function importDocument(file: File): Promise<DocumentDetail> {
  const form = new FormData();
  form.append('file', file, file.name);
  const response = await fetch('/api/documents/import', { method: 'POST', body: form, credentials: 'same-origin' });
  if (response.status !== 201) throw new Error(await problemDetail(response));
  return (await response.json()) as DocumentDetail;
}
