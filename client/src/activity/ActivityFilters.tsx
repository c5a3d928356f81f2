/**
 * Filters of the activity page, by person and by document, kept in the address (`?person=`,
 * `?document=`) so a reload or a shared link keeps them. The choices are who and what the feed
 * has shown so far, people who share a name told apart.
 */
import { useId, useMemo } from 'react';
import { useSearchParams } from 'wouter';
import { useDistinctNames } from '../people/useDistinctNames.ts';
import { displayTitle } from './format.ts';
import { useActivityFeed } from './useActivityFeed.ts';

/** The page's filters, read from and written to the address. */
export function useActivityFilters() {
  const [params, setParams] = useSearchParams();
  const set = (name: 'person' | 'document', value: string) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value === '') next.delete(name);
        else next.set(name, value);
        return next;
      },
      { replace: true },
    );
  return { actorId: params.get('person') || undefined, documentId: params.get('document') || undefined, set };
}

export function ActivityFilters({ filters }: { filters: ReturnType<typeof useActivityFilters> }) {
  const { actorId, documentId, set } = filters;
  // Every document's feed for the choices, and the chosen one's for its title if that is older.
  const everything = useActivityFeed(undefined).events;
  const chosen = useActivityFeed(documentId).events;
  const seen = useMemo(() => [...everything, ...chosen], [everything, chosen]);
  const people = useMemo(() => [...new Map(seen.map((event) => [event.actor.id, event.actor])).values()], [seen]);
  const documents = useMemo(
    () => [...new Map([...seen].reverse().map((event) => [event.documentId, displayTitle(event.documentTitle)])).entries()],
    [seen],
  );
  const nameOf = useDistinctNames(people);
  const personId = useId();
  const documentFieldId = useId();

  return (
    <div className="activity-filters" role="group" aria-label="Filter activity">
      <div className="field">
        <label htmlFor={personId}>Person</label>
        <select id={personId} className="input input-compact" value={actorId ?? ''} onChange={(event) => set('person', event.target.value)}>
          <option value="">Everyone</option>
          {actorId !== undefined && !people.some((person) => person.id === actorId) && <option value={actorId}>Chosen person</option>}
          {people
            .map((person) => ({ id: person.id, name: nameOf(person) }))
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((person) => (
              <option key={person.id} value={person.id}>
                {person.name}
              </option>
            ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={documentFieldId}>Document</label>
        <select id={documentFieldId} className="input input-compact" value={documentId ?? ''} onChange={(event) => set('document', event.target.value)}>
          <option value="">All documents</option>
          {documentId !== undefined && !documents.some(([id]) => id === documentId) && <option value={documentId}>Chosen document</option>}
          {[...documents]
            .sort((a, b) => a[1].localeCompare(b[1]))
            .map(([id, title]) => (
              <option key={id} value={id}>
                {title}
              </option>
            ))}
        </select>
      </div>
    </div>
  );
}
