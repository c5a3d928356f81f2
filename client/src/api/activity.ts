/** Activity history pages over TanStack Query; the live tail comes from the stream provider. */
import { useInfiniteQuery } from '@tanstack/react-query';
import { activityApi, type ShareToken } from './endpoints.ts';
import { queryKeys } from './keys.ts';

/** Events per page of history. */
export const ACTIVITY_PAGE_SIZE = 30;

/** Stored activity, newest first, for one document (opened through the secret link `share`, if any) or all of them. */
export function useActivityHistory(documentId: string | undefined, share?: ShareToken) {
  return useInfiniteQuery({
    queryKey: queryKeys.activityHistory(documentId),
    queryFn: ({ pageParam }) => activityApi.list({ documentId, share, before: pageParam, limit: ACTIVITY_PAGE_SIZE }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
}
