import { describe, expect, test } from 'bun:test';
import { ssoErrorMessage, ssoStartUrl } from './ssoErrors.ts';

describe('single sign-on on the sign-in page', () => {
  test('each refusal the server sends has its own sentence; an unknown code still says it failed', () => {
    expect(ssoErrorMessage('registration_closed')).toContain('invitation');
    expect(ssoErrorMessage('email_unverified')).toContain('verified');
    expect(ssoErrorMessage('account_disabled')).toContain('disabled');
    expect(ssoErrorMessage('<script>')).toBe('Single sign-on failed. Try again, or sign in with your password.');
    expect(ssoErrorMessage('constructor')).toBe(ssoErrorMessage('<script>'));
  });

  test('the start link carries where to come back to', () => {
    expect(ssoStartUrl('/d/abc?x=1')).toBe('/api/auth/oidc/start?next=%2Fd%2Fabc%3Fx%3D1');
  });

  test('joining by invitation through single sign-on carries the invite code', () => {
    expect(ssoStartUrl('/', 'abc DEF')).toBe('/api/auth/oidc/start?next=%2F&invite=abc+DEF');
  });
});
