/** `signInWithVerifiedEmail`, the entry point of single sign-on: the same admission rules as registration. */
import { afterEach, expect, test } from 'bun:test';
import type { Session } from '../session/service.ts';
import { startTestServer, type TestServer } from '../../test-support/harness.ts';

let server: TestServer;
afterEach(() => server?.close());

function session(result: Session | string): Session {
  if (typeof result === 'string') throw new Error(`expected a session, got ${result}`);
  return result;
}

test('the first verified email becomes the admin; then an account is found by email whatever its case, or made with an invite', async () => {
  server = await startTestServer({ env: { REGISTRATION: 'invite' } });
  const { accounts, directory } = server.server.services;
  const root = session(await accounts.signInWithVerifiedEmail({ email: 'Root@Example.com', name: ' Root\u0007 ' }));
  expect(root.user).toMatchObject({ email: 'root@example.com', name: 'Root', role: 'admin' });
  expect(await (await server.request('/api/session', { token: root.token })).json()).toEqual({ user: root.user });

  const again = session(await accounts.signInWithVerifiedEmail({ email: 'ROOT@example.com', name: 'Someone else' }));
  expect(again.user).toEqual(root.user);
  expect(again.id).not.toBe(root.id);

  expect(await accounts.signInWithVerifiedEmail({ email: 'stranger@example.com', name: 'Stranger' })).toBe('registration-closed');
  const { code } = await directory.invite(root.user, { role: 'admin' }, server.url);
  const invited = session(await accounts.signInWithVerifiedEmail({ email: 'guest@example.com', name: '', invite: code }));
  expect(invited.user).toMatchObject({ name: 'guest', role: 'admin' });
  expect(await accounts.signInWithVerifiedEmail({ email: 'other@example.com', name: 'Other', invite: code })).toBe('registration-closed');

  // An account made through single sign-on has no password to guess.
  const attempt = await server.request('/api/session', { method: 'POST', json: { email: 'guest@example.com', password: 'any password at all' } });
  expect(attempt.status).toBe(401);

  await directory.update(root.user, invited.user.id, { disabled: true });
  expect(await accounts.signInWithVerifiedEmail({ email: 'guest@example.com', name: 'Guest' })).toBe('account-disabled');
});

test('with REGISTRATION=open a new verified email becomes a member; with closed it is refused', async () => {
  server = await startTestServer({ env: { REGISTRATION: 'open' } });
  session(await server.server.services.accounts.signInWithVerifiedEmail({ email: 'first@example.com', name: 'First' }));
  const member = session(await server.server.services.accounts.signInWithVerifiedEmail({ email: 'second@example.com', name: 'x'.repeat(100) }));
  expect(member.user.role).toBe('member');
  expect(member.user.name).toHaveLength(64);
  await server.close();

  server = await startTestServer({ env: { REGISTRATION: 'closed' } });
  session(await server.server.services.accounts.signInWithVerifiedEmail({ email: 'first@example.com', name: 'First' }));
  expect(await server.server.services.accounts.signInWithVerifiedEmail({ email: 'second@example.com', name: 'Second' })).toBe('registration-closed');
});
