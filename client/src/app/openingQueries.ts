/**
 * Runs the queries a page opens with before React first renders it, so the first render already
 * has their answers (the boot script sent the requests; see api/earlyRequests.ts) instead of
 * starting them from effects, a render later.
 */
import type { QueryClient } from '@tanstack/react-query';
import { documentQuery } from '../api/documents.ts';
import { sessionQuery } from '../api/session.ts';
import { editorDocumentId } from './pageModules.ts';

/** The session, then on `/d/:id` the document's details as the signed-in user sees them. */
export function prefetchOpeningQueries(queryClient: QueryClient, pathname: string): void {
  const documentId = editorDocumentId(pathname);
  void queryClient.prefetchQuery(sessionQuery).then(() => {
    const user = queryClient.getQueryData(sessionQuery.queryKey);
    if (!user || documentId === null) return;
    let id: string;
    try {
      id = decodeURIComponent(documentId);
    } catch {
      return;
    }
    void queryClient.prefetchQuery(documentQuery(id, user.id));
  });
}
