/** The signed-in user: reading, signing in, renaming and signing out. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { User } from '../../../shared/dto.ts';
import { deleteLocalCopies } from '../collab/localCopies.ts';
import { sessionApi } from './endpoints.ts';
import { queryKeys } from './keys.ts';
import { cachedSessionUser, forgetUserData, rememberSessionUser } from './offlineCache.ts';
import { hasStatus, isNetworkError } from './problem.ts';

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

/**
 * The current user; `null` when signed out. Without a network the user this browser last saw
 * signed in stands in, so documents opened before still open and take edits offline.
 */
export function useSession() {
  return useQuery<User | null>({
    queryKey: queryKeys.session,
    queryFn: async () => {
      try {
        const user = await sessionApi.current();
        rememberSessionUser(user);
        return user;
      } catch (error) {
        if (hasStatus(error, 401)) {
          // Only the remembered session goes: unsent edits wait for the next sign-in.
          rememberSessionUser(null);
          return null;
        }
        const cached = isNetworkError(error) ? cachedSessionUser() : null;
        if (cached !== null) return cached;
        throw error;
      }
    },
    // Run even when the browser says it is offline: the fallback above is the point.
    networkMode: 'always',
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
      rememberSessionUser(user);
      queryClient.setQueryData(queryKeys.session, user);
      // Lists show names of who edited what; a rename changes them.
      void queryClient.invalidateQueries({ queryKey: queryKeys.documents });
    },
  });
}

/**
 * Signs out and forgets everything kept for the previous user: cached queries, the copies of
 * documents in this browser (including edits never sent) and the details cached for offline use.
 */
export function useSignOut() {
  const queryClient = useQueryClient();
  const forget = async () => {
    const user = queryClient.getQueryData<User | null>(queryKeys.session);
    if (user) {
      await deleteLocalCopies(user.id);
      forgetUserData(user.id);
    }
    rememberSessionUser(null);
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
