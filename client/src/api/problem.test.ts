import { describe, expect, test } from 'bun:test';
import { ApiError, asProblem, errorMessage, hasStatus } from './problem.ts';

describe('ApiError', () => {
  test('prefers the problem detail, then the title, then a status message', () => {
    const problem = { type: 'about:blank', title: 'Conflict', status: 412, detail: 'Someone renamed it first.' };
    expect(new ApiError(412, problem).message).toBe('Someone renamed it first.');
    expect(new ApiError(412, { ...problem, detail: undefined }).message).toBe('Conflict');
    expect(new ApiError(503, null).message).toContain('server had a problem');
  });

  test('reads problems from bodies and strings', () => {
    expect(asProblem('{"type":"x","title":"Bad","status":400}')?.title).toBe('Bad');
    expect(asProblem('<html>')).toBeNull();
    expect(asProblem({ message: 'nope' })).toBeNull();
  });

  test('helpers', () => {
    expect(hasStatus(new ApiError(404, null), 404)).toBe(true);
    expect(hasStatus(new Error('x'), 404)).toBe(false);
    expect(errorMessage(new TypeError('Failed to fetch'))).toContain('cannot be reached');
  });
});
