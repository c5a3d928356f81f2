/**
 * What a fresh activity stream does to the stored history it continues: read it again, from now.
 * A stream without a resume point starts at the moment the server subscribed it, so the history
 * shown beside it must have been read after that moment, or an event between the two is in neither.
 */
import type { QueryClient } from '@tanstack/react-query';
import { queryKeys } from '../api/keys.ts';

/**
 * Refetches every activity history. A first read still under way is cancelled rather than joined:
 * TanStack Query lets an invalidation share a fetch that has no data yet, and that fetch may have
 * been answered before the stream began (a page opened while someone else creates a document).
 */
export async function refetchHistoryAfterStreamStart(queryClient: QueryClient): Promise<void> {
  await queryClient.cancelQueries({ queryKey: queryKeys.activity });
  await queryClient.invalidateQueries({ queryKey: queryKeys.activity });
}
