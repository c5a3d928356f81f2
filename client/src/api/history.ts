/** A document's revisions over TanStack Query: the timeline, a revision's changes, naming and restoring. */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { historyApi, type ShareToken } from './endpoints.ts';
import { queryKeys } from './keys.ts';

/** Revisions per page of the timeline. */
export const REVISIONS_PAGE_SIZE = 30;

/** Pages of `documentId`'s revisions, newest first. */
export function useRevisions(documentId: string, share?: ShareToken) {
  return useInfiniteQuery({
    queryKey: queryKeys.revisions(documentId),
    queryFn: ({ pageParam }) => historyApi.list(documentId, { cursor: pageParam, limit: REVISIONS_PAGE_SIZE, share }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
}

/** What `revisionId` changed against `from` (default: the revision before it), with authors; stored states never change. */
export function useRevisionDiff(documentId: string, revisionId: number | null, from?: number, share?: ShareToken) {
  return useQuery({
    queryKey: queryKeys.revisionDiff(documentId, revisionId ?? 0, from),
    queryFn: () => historyApi.diff(documentId, revisionId ?? 0, from, share),
    enabled: revisionId !== null,
    staleTime: Infinity,
  });
}

/** Names the document's current state (an editor's action); the timeline then shows it. */
export function useNameVersion(documentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (label: string) => historyApi.name(documentId, label.trim()),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.revisions(documentId) }),
  });
}

/**
 * Returns the document to a revision's content; every open editor gets the change through sync.
 * `nonce` (from the session's `RestoreUndo.expect()`) makes it an undo step of this tab's editor.
 */
export function useRestoreRevision(documentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ revisionId, nonce }: { revisionId: number; nonce?: string }) => historyApi.restore(documentId, revisionId, nonce),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.revisions(documentId) }),
  });
}
