/** Activity history pages over TanStack Query; the live tail comes from the stream provider. */
import { useInfiniteQuery } from '@tanstack/react-query';
import { activityApi } from './endpoints.ts';
import { queryKeys } from './keys.ts';

/** Events per page of history. */
export const ACTIVITY_PAGE_SIZE = 30;

/** Stored activity, newest first, for one document or all of them. */
export function useActivityHistory(documentId: string | undefined) {
  return useInfiniteQuery({
    queryKey: queryKeys.activityHistory(documentId),
    queryFn: ({ pageParam }) => activityApi.list({ documentId, before: pageParam, limit: ACTIVITY_PAGE_SIZE }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
}
