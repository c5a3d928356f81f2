/** The signed-in user: reading, signing in or up, and signing out. */
import { queryOptions, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { SessionResponse, User } from '../../../shared/dto.ts';
import { deleteLocalCopies } from '../collab/localCopies.ts';
import { accountsApi, authApi, sessionApi, type Credentials, type NewAccount } from './endpoints.ts';
import { queryKeys } from './keys.ts';
import { cachedSessionUser, forgetUserData, rememberSessionUser } from './offlineCache.ts';
import { hasStatus, isNetworkError } from './problem.ts';

const EMAIL_KEY = 'quire:email';

/** The email this browser signed in with last, to prefill the sign-in form. */
export function rememberedEmail(): string {
  try {
    return localStorage.getItem(EMAIL_KEY) ?? '';
  } catch {
    return '';
  }
}

function rememberEmail(email: string): void {
  try {
    localStorage.setItem(EMAIL_KEY, email);
  } catch {
    // Private mode or storage disabled: the email is only a convenience.
  }
}

/** Makes `user` the signed-in user everywhere: the query cache and the offline memory. */
export function setSessionUser(queryClient: QueryClient, user: User): void {
  rememberSessionUser(user);
  queryClient.setQueryData(queryKeys.session, user);
}

/**
 * The current user; `null` when signed out. Without a network the user this browser last saw
 * signed in stands in, so documents opened before still open and take edits offline.
 */
export const sessionQuery = queryOptions<User | null>({
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

/** The current user (see `sessionQuery`). */
export function useSession() {
  return useQuery(sessionQuery);
}

function signedIn(queryClient: QueryClient, { user }: SessionResponse): void {
  rememberEmail(user.email);
  // Anything cached belonged to whoever was here before (a session that expired): start clean.
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'session' });
  setSessionUser(queryClient, user);
}

/** What the signed-out screens offer; asked afresh each time someone is signed out. */
export function useAuthConfig() {
  return useQuery({ queryKey: queryKeys.authConfig, queryFn: () => authApi.config(), staleTime: 0 });
}

/** Signs in with email and password. */
export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ email, password }: Credentials) => sessionApi.signIn({ email: email.trim(), password }),
    onSuccess: (response) => signedIn(queryClient, response),
  });
}

/** Creates an account (the first one, an invited one, or anyone's when registration is open) and signs it in. */
export function useCreateAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (account: NewAccount) => accountsApi.create({ ...account, name: account.name.trim(), email: account.email.trim() }),
    onSuccess: (response) => signedIn(queryClient, response),
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
