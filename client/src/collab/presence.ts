/** Who is in a document, read from awareness states, and how to paint them. */

/** A person shown in the avatar strip and on carets. */
export interface PresentUser {
  clientId: number;
  id: string;
  name: string;
  color: string;
  self: boolean;
}

/** Colours offered for carets and avatars, all readable under white initials. */
export const PALETTE = ['#4f46e5', '#0891b2', '#059669', '#d97706', '#dc2626', '#db2777', '#7c3aed', '#2563eb'];

/**
 * A `#rrggbb` color for a user. The caret extension only accepts that form, so other CSS colors
 * are replaced by a stable pick from a palette, seeded by `seed` (the user id).
 */
export function caretColor(color: string | undefined, seed: string): string {
  if (color !== undefined && /^#[0-9a-fA-F]{6}$/.test(color)) return color.toLowerCase();
  if (color !== undefined && /^#[0-9a-fA-F]{3}$/.test(color)) {
    return `#${[...color.slice(1)].map((digit) => digit + digit).join('')}`.toLowerCase();
  }
  let hash = 0;
  for (const char of seed) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length] ?? '#4f46e5';
}

function readUser(state: unknown): { id: string; name: string; color: string } | null {
  if (typeof state !== 'object' || state === null || !('user' in state)) return null;
  const user: unknown = state.user;
  if (typeof user !== 'object' || user === null) return null;
  const name = 'name' in user && typeof user.name === 'string' ? user.name : null;
  if (name === null || name.trim() === '') return null;
  // The id is who someone is (the server stamps it from the account); a name is not.
  const id = 'id' in user && typeof user.id === 'string' && user.id !== '' ? user.id : null;
  if (id === null) return null;
  const color = 'color' in user && typeof user.color === 'string' ? user.color : undefined;
  return { id, name, color: caretColor(color, id) };
}

/**
 * The people present, one entry per account id (a user with two tabs shows once; two accounts
 * with one name show twice), the local user first, then others by name.
 */
export function presentUsers(states: ReadonlyMap<number, unknown>, selfClientId: number): PresentUser[] {
  const byUser = new Map<string, PresentUser>();
  for (const [clientId, state] of states) {
    const user = readUser(state);
    if (user === null) continue;
    const self = clientId === selfClientId;
    const known = byUser.get(user.id);
    if (known === undefined || (self && !known.self)) byUser.set(user.id, { clientId, ...user, self });
  }
  return [...byUser.values()].sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}
