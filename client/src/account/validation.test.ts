import { describe, expect, test } from 'bun:test';
import { ApiError, formErrors } from '../api/problem.ts';
import { accountProblems, emailProblem, passwordProblem } from './validation.ts';

describe('account checks before sending', () => {
  test('name each field that is wrong', () => {
    expect(accountProblems({ name: ' ', email: 'nope', password: 'short' })).toEqual({
      name: 'Enter your name.',
      email: 'Enter an email address like name@example.com.',
      password: 'Use at least 10 characters.',
    });
    expect(accountProblems({ name: 'Ada', email: 'ada@example.test', password: 'long enough!' })).toEqual({});
  });

  test('a password of exactly ten characters is enough', () => {
    expect(passwordProblem('0123456789')).toBeNull();
    expect(passwordProblem('012345678')).not.toBeNull();
  });

  test('an email needs something on both sides of one @', () => {
    expect(emailProblem(' ada@example.test ')).toBeNull();
    expect(emailProblem('ada@')).not.toBeNull();
  });
});

describe('server failures over a form', () => {
  const problem = (status: number, detail: string, fields?: string[]) =>
    new ApiError(status, { type: 'about:blank', title: 'x', status, detail, fields });

  test('a validation detail is split over the fields it names', () => {
    const error = problem(422, 'password: must be at least 10 characters; email: not an email address', ['password', 'email']);
    expect(formErrors(error, ['name', 'email', 'password'])).toEqual({
      fields: { password: 'must be at least 10 characters', email: 'not an email address' },
      form: null,
    });
  });

  test('a plain detail goes to the field it names', () => {
    const error = problem(409, 'An account with this email already exists.', ['email']);
    expect(formErrors(error, ['name', 'email', 'password']).fields.email).toBe('An account with this email already exists.');
  });

  test('a status can stand for a field when the problem names none', () => {
    const taken = problem(409, 'An account with this email exists already: sign in instead.');
    expect(formErrors(taken, ['name', 'email'], { 409: 'email' })).toEqual({
      fields: { email: 'An account with this email exists already: sign in instead.' },
      form: null,
    });
    expect(formErrors(problem(403, 'Registration is closed.'), ['email'], { 409: 'email' }).form).toBe('Registration is closed.');
  });

  test('a failure naming no field of the form belongs to the form', () => {
    expect(formErrors(problem(401, 'Wrong email or password.'), ['email', 'password'])).toEqual({
      fields: {},
      form: 'Wrong email or password.',
    });
    expect(formErrors(problem(422, 'invite: expired', ['invite']), ['email']).form).toBe('invite: expired');
    expect(formErrors(new TypeError('Failed to fetch'), ['email']).form).toContain('cannot be reached');
    expect(formErrors(null, ['email'])).toEqual({ fields: {}, form: null });
  });
});
