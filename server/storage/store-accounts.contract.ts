/**
 * The accounts part of the `Store` contract: admission rules that must hold under concurrency,
 * case-insensitive emails, single-use invites, the last enabled admin, and sessions that end.
 */
import { expect, test } from 'bun:test';
import type { Role } from '../../shared/dto.ts';
import type { AccountStore, Admission, NewAccount, Store } from './store.ts';

/** A new account with defaults. */
export function newAccount(id: string, email: string, role: Role = 'member', name = id): NewAccount {
  return { id, email, name, color: '#e5484d', role, passwordHash: `hash-of-${id}`, createdAt: 1000 };
}

/** Creates an account that must be admitted. */
export async function mustCreate(accounts: AccountStore, account: NewAccount, admission: Admission = { kind: 'open' }) {
  const result = await accounts.createAccount(account, admission);
  if (result.status !== 'created') throw new Error(`account ${account.id} not created: ${result.status}`);
  return result.account;
}

/** Registers the accounts tests; `store()` is the current test's fresh, empty store. */
export function accountsContract(store: () => Store): void {
  test('accounts: the first is admitted once, even when many ask at once; emails are unique whatever their case', async () => {
    const s = store().accounts;
    expect(await s.countAccounts()).toBe(0);
    const attempts = await Promise.all(
      Array.from({ length: 6 }, (_, i) => s.createAccount(newAccount(`first-${i}`, `first${i}@example.com`, 'admin'), { kind: 'first' })),
    );
    expect(attempts.filter((result) => result.status === 'created')).toHaveLength(1);
    expect(attempts.filter((result) => result.status === 'not-first')).toHaveLength(5);
    expect(await s.countAccounts()).toBe(1);

    const ada = await mustCreate(s, newAccount('ada', 'Ada@Example.com', 'member', 'Ada'));
    expect(ada).toEqual({ id: 'ada', email: 'ada@example.com', name: 'Ada', color: '#e5484d', role: 'member', disabled: false, passwordHash: 'hash-of-ada', createdAt: 1000 });
    expect((await s.createAccount(newAccount('ada2', 'ADA@example.COM'), { kind: 'open' })).status).toBe('email-taken');
    expect(await s.findAccountByEmail('aDa@eXample.com')).toEqual(ada);
    expect(await s.findAccountByEmail('nobody@example.com')).toBeNull();
    expect(await s.getAccount('ada')).toEqual(ada);
    expect(await s.getAccount('ada2')).toBeNull();
    expect(await s.countAccounts()).toBe(2);
  });

  test('invites: single use even when raced, expiring, and a refused creation leaves the invite usable', async () => {
    const s = store().accounts;
    const admin = await mustCreate(s, newAccount('admin', 'admin@example.com', 'admin', 'Root'), { kind: 'first' });
    await s.createInvite({ code: 'c1', email: 'Guest@Example.com', role: 'admin', createdBy: admin.id, createdAt: 1000, expiresAt: 5000 });
    expect(await s.getInvite('c1', 2000)).toEqual({
      code: 'c1', email: 'guest@example.com', role: 'admin', invitedBy: { id: 'admin', name: 'Root' }, createdAt: 1000, expiresAt: 5000,
    });
    expect(await s.getInvite('c1', 5000)).toBeNull();
    expect(await s.getInvite('nope', 2000)).toBeNull();

    const invite = { kind: 'invite', code: 'c1', now: 2000 } as const;
    expect((await s.createAccount(newAccount('dup', 'ADMIN@example.com'), invite)).status).toBe('email-taken');
    expect(await s.getInvite('c1', 2000)).not.toBeNull();
    const raced = await Promise.all([1, 2, 3].map((i) => s.createAccount(newAccount(`g${i}`, `g${i}@example.com`), invite)));
    expect(raced.filter((result) => result.status === 'created')).toHaveLength(1);
    expect(raced.filter((result) => result.status === 'invite-unusable')).toHaveLength(2);
    expect(await s.countAccounts()).toBe(2);
    expect(await s.getInvite('c1', 2000)).toBeNull();

    await s.createInvite({ code: 'late', email: null, role: 'member', createdBy: admin.id, createdAt: 1000, expiresAt: 3000 });
    expect((await s.createAccount(newAccount('late', 'late@example.com'), { kind: 'invite', code: 'late', now: 3000 })).status).toBe('invite-unusable');
    expect(await s.findAccountByEmail('late@example.com')).toBeNull();
  });

  test('updates: profile, password, role; the last enabled admin cannot be demoted or disabled, even by two at once', async () => {
    const s = store().accounts;
    await mustCreate(s, newAccount('a', 'a@example.com', 'admin', 'A'), { kind: 'first' });
    await mustCreate(s, newAccount('b', 'b@example.com', 'member', 'B'));
    const renamed = await s.updateAccount('b', { name: 'Bea', color: '#0090ff', passwordHash: 'new-hash' });
    expect(renamed).toEqual({ status: 'updated', account: expect.objectContaining({ name: 'Bea', color: '#0090ff', passwordHash: 'new-hash', role: 'member' }) });
    expect((await s.updateAccount('a', { role: 'member' })).status).toBe('last-admin');
    expect((await s.updateAccount('a', { disabled: true })).status).toBe('last-admin');
    expect((await s.updateAccount('nope', { name: 'x' })).status).toBe('not-found');
    expect((await s.updateAccount('b', { role: 'admin' })).status).toBe('updated');
    // Each demotes the other at the same moment: one of them must stay admin.
    const both = await Promise.all([s.updateAccount('a', { role: 'member' }), s.updateAccount('b', { disabled: true })]);
    expect(both.map((result) => result.status).sort()).toEqual(['last-admin', 'updated']);
    const admins = (await s.listAccounts({ contains: null, activeOnly: true, limit: 10 })).filter((account) => account.role === 'admin');
    expect(admins).toHaveLength(1);
    // A disabled admin is no admin to keep: the enabled one is still the last.
    expect((await s.updateAccount(admins[0]!.id, { role: 'member' })).status).toBe('last-admin');
  });

  test('listing: ordered by name, filtered by name or email, active only for sharing', async () => {
    const s = store().accounts;
    await mustCreate(s, newAccount('a', 'zed@example.com', 'admin', 'Carla'), { kind: 'first' });
    await mustCreate(s, newAccount('b', 'bob@example.com', 'member', 'Bob'));
    await mustCreate(s, newAccount('c', 'ann@other.org', 'member', 'Ann_1'));
    await s.updateAccount('b', { disabled: true });
    const names = async (contains: string | null, activeOnly: boolean, limit = 10) =>
      (await s.listAccounts({ contains, activeOnly, limit })).map((account) => account.name);
    expect(await names(null, false)).toEqual(['Ann_1', 'Bob', 'Carla']);
    expect(await names(null, true)).toEqual(['Ann_1', 'Carla']);
    expect(await names(null, false, 2)).toEqual(['Ann_1', 'Bob']);
    expect(await names('OTHER.org', false)).toEqual(['Ann_1']);
    expect(await names('carl', true)).toEqual(['Carla']);
    expect(await names('_', false)).toEqual(['Ann_1']);
    expect(await names('bob', true)).toEqual([]);
  });

  test('sessions: found while unexpired and enabled, with the current name; ended one, all but one, and expired', async () => {
    const s = store().accounts;
    await mustCreate(s, newAccount('a', 'a@example.com', 'admin', 'Ada'), { kind: 'first' });
    await mustCreate(s, newAccount('b', 'b@example.com', 'member', 'Bob'));
    for (const [id, userId, expiresAt] of [['s1', 'a', 2000], ['s2', 'a', 9000], ['s3', 'a', 9000], ['s4', 'b', 9000]] as const) {
      await s.createSession({ id, userId, expiresAt });
    }
    expect(await s.getSession('s1', 1000)).toEqual({ id: 's1', expiresAt: 2000, user: { id: 'a', name: 'Ada', email: 'a@example.com', color: '#e5484d', role: 'admin' } });
    expect(await s.getSession('s1', 2000)).toBeNull();
    await s.updateAccount('a', { name: 'Ada L.' });
    expect((await s.getSession('s2', 1000))?.user.name).toBe('Ada L.');
    await s.updateAccount('b', { disabled: true });
    expect(await s.getSession('s4', 1000)).toBeNull();
    await s.updateAccount('b', { disabled: false });
    expect(await s.getSession('s4', 1000)).not.toBeNull();

    expect(await s.deleteExpiredSessions(2000)).toBe(1);
    expect(await s.deleteAccountSessions('a', 's2')).toBe(1);
    expect(await s.getSession('s2', 1000)).not.toBeNull();
    expect(await s.getSession('s3', 1000)).toBeNull();
    await s.deleteSession('s2');
    expect(await s.getSession('s2', 1000)).toBeNull();
    expect(await s.deleteAccountSessions('b', null)).toBe(1);
    expect(await s.getSession('s4', 1000)).toBeNull();
  });
}
