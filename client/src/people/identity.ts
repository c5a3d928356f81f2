/**
 * Telling people apart. Names are not identities: two accounts may both be "Alex". Wherever
 * several people appear together (presence, carets, a feed), a name that more than one of them
 * carries is shown with the person's email, and everything is keyed by id.
 */

/** Someone as presence and the feed know them; `email` when it is known here. */
export interface Person {
  id: string;
  name: string;
  email?: string | null;
}

/** Names compare as people read them: case and surrounding spaces do not tell anyone apart. */
export function nameKey(name: string): string {
  return name.trim().toLocaleLowerCase();
}

/** The names (as `nameKey`) that more than one id carries among `people`. */
export function sharedNames(people: Iterable<Pick<Person, 'id' | 'name'>>): Set<string> {
  const idsByName = new Map<string, Set<string>>();
  for (const { id, name } of people) {
    const key = nameKey(name);
    const ids = idsByName.get(key) ?? new Set<string>();
    ids.add(id);
    idsByName.set(key, ids);
  }
  return new Set([...idsByName].filter(([, ids]) => ids.size > 1).map(([key]) => key));
}

/**
 * How to name `person` among others: the name alone, or, when someone else there has the same
 * name, "Alex (alex@one.test)" (or a short piece of the id while the email is not known).
 */
export function distinctName(person: Pick<Person, 'id' | 'name'>, shared: ReadonlySet<string>, emails: ReadonlyMap<string, string>): string {
  const name = person.name.trim();
  if (!shared.has(nameKey(name))) return name;
  const email = emails.get(person.id);
  return email ? `${name} (${email})` : `${name} (#${person.id.slice(-6)})`;
}

/** One or two letters for an avatar. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter((word) => word !== '');
  const first = words[0]?.[0] ?? '?';
  const last = words.length > 1 ? (words[words.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase();
}
