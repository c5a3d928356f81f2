/** The trash over TanStack Query: deleted documents, restoring them, deleting them for good. */
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { trashApi } from './endpoints.ts';
import { queryKeys } from './keys.ts';

/** Documents per page of the trash. */
export const TRASH_PAGE_SIZE = 30;

/** Pages of the caller's deleted documents. */
export function useTrash() {
  return useInfiniteQuery({
    queryKey: queryKeys.trash,
    queryFn: ({ pageParam }) => trashApi.list(pageParam, TRASH_PAGE_SIZE),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
}

/** Brings a document back from the trash: lists show it again. */
export function useRestoreFromTrash() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => trashApi.restore(id),
    onSuccess: (document) => {
      queryClient.setQueryData(queryKeys.document(document.id), document);
      void queryClient.invalidateQueries({ queryKey: queryKeys.trash });
      void queryClient.invalidateQueries({ queryKey: [...queryKeys.documents, 'list'] });
    },
  });
}

/** Deletes a document from the trash for good. */
export function useDeleteForever() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => trashApi.remove(id),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.trash }),
  });
}
