/** Accounts: the signed-in user's profile and password, people, invites, and what admins change. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Role } from '../../../shared/dto.ts';
import { invitesApi, usersApi } from './endpoints.ts';
import { queryKeys } from './keys.ts';
import { hasStatus } from './problem.ts';
import { setSessionUser } from './session.ts';

/** The most people the admin page lists at once (the API's limit); a filter finds the rest. */
export const PEOPLE_PAGE_SIZE = 100;

/** Changes the signed-in user's name or colour. */
export function useUpdateProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (changes: { name?: string; color?: string }) => usersApi.updateMe(changes),
    onSuccess: (user) => {
      setSessionUser(queryClient, user);
      // Lists name who edited what, and the people list names everyone.
      void queryClient.invalidateQueries({ queryKey: queryKeys.documents });
      void queryClient.invalidateQueries({ queryKey: queryKeys.users });
    },
  });
}

/** Changes the signed-in user's password; the server ends their other sessions. */
export function useChangePassword() {
  return useMutation({
    mutationFn: ({ current, next }: { current: string; next: string }) => usersApi.changePassword(current, next),
  });
}

/**
 * Accounts matching `q` (the first hundred for an empty `q`); admins also see role and status.
 * Asked only while `enabled` (the share dialog asks once something is typed).
 */
export function usePeople(q: string, enabled = true) {
  return useQuery({
    queryKey: [...queryKeys.userList(q), 'page'],
    queryFn: () => usersApi.list(q, PEOPLE_PAGE_SIZE),
    placeholderData: (previous) => previous,
    enabled,
  });
}

/** An admin promotes, demotes, disables or enables an account. */
export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...changes }: { id: string; role?: Role; disabled?: boolean }) => usersApi.update(id, changes),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.users });
      // An admin who demoted themselves loses the admin page.
      void queryClient.invalidateQueries({ queryKey: queryKeys.session });
    },
  });
}

/** An admin creates an invite link. */
export function useCreateInvite() {
  return useMutation({
    mutationFn: ({ email, role }: { email: string; role: Role }) => {
      const trimmed = email.trim();
      return invitesApi.create(trimmed === '' ? { role } : { email: trimmed, role });
    },
  });
}

/** The invite behind a `/join/:code` link; a 404 (unknown, used or expired) is final. */
export function useInvite(code: string) {
  return useQuery({
    queryKey: queryKeys.invite(code),
    queryFn: () => invitesApi.get(code),
    retry: (failures, error) => !hasStatus(error, 404) && failures < 2,
  });
}
