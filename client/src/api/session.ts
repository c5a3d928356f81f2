/** The signed-in user: reading, signing in, renaming and signing out. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { User } from '../../../shared/dto.ts';
import { sessionApi } from './endpoints.ts';
import { queryKeys } from './keys.ts';
import { hasStatus } from './problem.ts';

const NAME_KEY = 'quire:name';

/** The display name this browser used last, to prefill the sign-in form. */
export function rememberedName(): string {
  try {
    return localStorage.getItem(NAME_KEY) ?? '';
  } catch {
    return '';
  }
}

function rememberName(name: string): void {
  try {
    localStorage.setItem(NAME_KEY, name);
  } catch {
    // Private mode or storage disabled: the name is only a convenience.
  }
}

/** The current user; `null` when signed out. */
export function useSession() {
  return useQuery<User | null>({
    queryKey: queryKeys.session,
    queryFn: async () => {
      try {
        return await sessionApi.current();
      } catch (error) {
        if (hasStatus(error, 401)) return null;
        throw error;
      }
    },
    staleTime: 5 * 60_000,
  });
}

/** Signs in with a display name, or changes the name of the signed-in user. */
export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => sessionApi.signIn(name.trim()),
    onSuccess: ({ user }) => {
      rememberName(user.name);
      queryClient.setQueryData(queryKeys.session, user);
      // Lists show names of who edited what; a rename changes them.
      void queryClient.invalidateQueries({ queryKey: queryKeys.documents });
    },
  });
}

/** Signs out and forgets everything cached for the previous user. */
export function useSignOut() {
  const queryClient = useQueryClient();
  const forget = () => {
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'session' });
    queryClient.setQueryData(queryKeys.session, null);
  };
  return useMutation({
    mutationFn: () => sessionApi.signOut(),
    onSuccess: forget,
    // Already signed out (another tab, an expired session): the outcome the user asked for.
    onError: (error) => (hasStatus(error, 401) ? forget() : undefined),
  });
}
