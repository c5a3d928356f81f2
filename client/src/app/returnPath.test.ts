import { describe, expect, test } from 'bun:test';
import { safeReturnPath, signInPathTo } from './returnPath.ts';

describe('returning after sign-in', () => {
  test('only to a page of this app', () => {
    expect(safeReturnPath('/s/abc?x=1')).toBe('/s/abc?x=1');
    expect(safeReturnPath(null)).toBe('/');
    expect(safeReturnPath('https://evil.test/')).toBe('/');
    expect(safeReturnPath('//evil.test/')).toBe('/');
    expect(safeReturnPath('/\\evil.test/')).toBe('/');
  });

  test('the sign-in page carries the way back', () => {
    const path = signInPathTo('/s/a b');
    expect(path).toBe('/signin?next=%2Fs%2Fa+b');
    expect(safeReturnPath(new URLSearchParams(path.split('?')[1]).get('next'))).toBe('/s/a b');
  });
});
