/**
 * Names for people shown together, told apart by email where two share a name. Emails are not
 * in presence or activity events (only ids and names are), so they are looked up by id among the
 * accounts the server lists under that name, only for the names that clash.
 */
import { useQueries } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { usersApi } from '../api/endpoints.ts';
import { queryKeys } from '../api/keys.ts';
import { distinctName, sharedNames, type Person } from './identity.ts';

/** A function naming each of `people` so that no two read the same; stable while nothing changes. */
export function useDistinctNames(people: readonly Person[]): (person: Pick<Person, 'id' | 'name'>) => string {
  const shared = useMemo(() => sharedNames(people), [people]);
  const clashing = useMemo(() => [...shared].sort(), [shared]);
  const lookups = useQueries({
    queries: clashing.map((name) => ({
      queryKey: queryKeys.userList(name),
      queryFn: () => usersApi.list(name),
      staleTime: 10_000,
    })),
  });
  // A string key, so the map below changes only when an email does, not on every refetch.
  const emailKey = JSON.stringify(
    lookups.flatMap((lookup) => lookup.data?.map((person) => [person.id, person.email ?? ''] as const) ?? []),
  );
  const emails = useMemo(() => {
    const byId = new Map<string, string>(JSON.parse(emailKey) as [string, string][]);
    for (const person of people) if (person.email) byId.set(person.id, person.email);
    for (const [id, email] of byId) if (email === '') byId.delete(id);
    return byId;
  }, [emailKey, people]);
  return useCallback((person) => distinctName(person, shared, emails), [shared, emails]);
}

