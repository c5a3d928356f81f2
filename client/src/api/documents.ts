/** Document queries and mutations over TanStack Query. */
import { queryOptions, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DocumentDetail, DocumentFilter } from '../../../shared/dto.ts';
import { documentsApi, type ShareToken } from './endpoints.ts';
import { queryKeys } from './keys.ts';
import { cachedDocument, forgetDocument, rememberDocument } from './offlineCache.ts';
import { hasStatus, isNetworkError } from './problem.ts';

/** Documents per page of the list. */
export const DOCUMENTS_PAGE_SIZE = 20;

/** Pages of documents whose title matches `q` (only owned or only shared ones with `filter`), newest edit first. */
export function useDocumentList(q: string, filter?: DocumentFilter) {
  return useInfiniteQuery({
    queryKey: queryKeys.documentList(q, filter ?? 'all'),
    queryFn: ({ pageParam }) => documentsApi.list({ q, filter, cursor: pageParam, limit: DOCUMENTS_PAGE_SIZE }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    placeholderData: (previous) => previous,
  });
}

/**
 * One document's metadata, as `userId` sees it (null: a visitor without an account, who came
 * through a secret link `share`). A 404 is final, not retried. Without a network the details
 * cached when it was last opened stand in, so it opens offline.
 */
export function documentQuery(id: string, userId: string | null, share?: ShareToken) {
  return queryOptions({
    queryKey: queryKeys.document(id),
    queryFn: async () => {
      try {
        const document = await documentsApi.get(id, share);
        if (userId !== null) rememberDocument(userId, document);
        return document;
      } catch (error) {
        if (userId === null) throw error;
        if (hasStatus(error, 404)) forgetDocument(userId, id);
        const cached = isNetworkError(error) ? cachedDocument(userId, id) : null;
        if (cached !== null) return cached;
        throw error;
      }
    },
    networkMode: 'always',
    retry: (failures, error) => !hasStatus(error, 404) && failures < 2,
  });
}

/** One document's metadata (see `documentQuery`). */
export function useDocument(id: string, userId: string | null, share?: ShareToken) {
  return useQuery(documentQuery(id, userId, share));
}

/** Creates a document. */
export function useCreateDocument() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (title: string) => documentsApi.create(title.trim()),
    onSuccess: (document) => {
      queryClient.setQueryData(queryKeys.document(document.id), document);
      void queryClient.invalidateQueries({ queryKey: [...queryKeys.documents, 'list'] });
    },
  });
}

/** Renames a document; `version` makes the rename fail with 412 if someone changed it first. */
export function useRenameDocument() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, title, version, share }: { id: string; title: string; version?: number; share?: ShareToken }) =>
      documentsApi.rename(id, title.trim(), version, share),
    onSuccess: (document: DocumentDetail) => {
      queryClient.setQueryData(queryKeys.document(document.id), document);
      void queryClient.invalidateQueries({ queryKey: [...queryKeys.documents, 'list'] });
    },
    onError: (_error, { id }) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.document(id) });
    },
  });
}

/** Moves a document to the trash. */
export function useDeleteDocument() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => documentsApi.remove(id),
    onSuccess: (_result, id) => {
      queryClient.removeQueries({ queryKey: queryKeys.document(id) });
      void queryClient.invalidateQueries({ queryKey: [...queryKeys.documents, 'list'] });
      void queryClient.invalidateQueries({ queryKey: queryKeys.trash });
    },
  });
}
