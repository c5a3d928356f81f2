/** Sharing over TanStack Query: who has access to a document, changing it, and secret links. */
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { DocumentAccess, DocumentAccessChange } from '../../../shared/dto.ts';
import { accessApi, linksApi, type ShareToken } from './endpoints.ts';
import { queryKeys } from './keys.ts';
import { hasStatus } from './problem.ts';

/**
 * Who has access to document `id` and how, while `enabled` (the share dialog is open). The owner
 * edits a draft of it, so it is not refetched under them; `forget` it when the dialog closes, so
 * the next opening starts from what holds then.
 */
export function useDocumentAccess(id: string, share: ShareToken, enabled: boolean) {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: queryKeys.access(id),
    queryFn: () => accessApi.get(id, share),
    enabled,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
  return { query, forget: () => queryClient.removeQueries({ queryKey: queryKeys.access(id) }) };
}

/** Everything that shows access or depends on it, after a change. */
function accessChanged(queryClient: QueryClient, id: string, access: DocumentAccess): void {
  queryClient.setQueryData(queryKeys.access(id), access);
  // "Shared with me" and the people's roles in lists follow grants.
  void queryClient.invalidateQueries({ queryKey: [...queryKeys.documents, 'list'] });
}

/** An owner replaces document `id`'s general access and grants. */
export function useUpdateAccess(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: DocumentAccessChange) => accessApi.update(id, change),
    onSuccess: (access) => accessChanged(queryClient, id, access),
  });
}

/** An owner replaces document `id`'s secret link with a new one. */
export function useResetLink(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => accessApi.resetLink(id),
    onSuccess: (access) => accessChanged(queryClient, id, access),
  });
}

/** What a secret link opens; a 404 (a wrong link, or one that was reset) is final. */
export function useSharedLink(linkToken: string) {
  return useQuery({
    queryKey: queryKeys.sharedLink(linkToken),
    queryFn: () => linksApi.get(linkToken),
    retry: (failures, error) => !hasStatus(error, 404) && failures < 2,
    // A link opens the document as it is now; a reset must be noticed on the next visit.
    staleTime: 0,
  });
}
