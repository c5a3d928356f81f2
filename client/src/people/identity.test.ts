import { describe, expect, test } from 'bun:test';
import { distinctName, initials, sharedNames } from './identity.ts';

describe('telling people apart', () => {
  const alexOne = { id: 'user-000001', name: 'Alex' };
  const alexTwo = { id: 'user-000002', name: ' alex ' };
  const bob = { id: 'user-000003', name: 'Bob' };
  const emails = new Map([
    ['user-000001', 'alex@one.test'],
    ['user-000002', 'alex@two.test'],
  ]);

  test('a name two ids carry is shared; one id under two names is not', () => {
    expect(sharedNames([alexOne, alexTwo, bob])).toEqual(new Set(['alex']));
    expect(sharedNames([alexOne, { ...alexOne, name: 'Alexandra' }, bob]).size).toBe(0);
    expect(sharedNames([alexOne, alexOne]).size).toBe(0);
  });

  test('a shared name comes with the email, others stay plain', () => {
    const shared = sharedNames([alexOne, alexTwo, bob]);
    expect(distinctName(alexOne, shared, emails)).toBe('Alex (alex@one.test)');
    expect(distinctName(alexTwo, shared, emails)).toBe('alex (alex@two.test)');
    expect(distinctName(bob, shared, emails)).toBe('Bob');
  });

  test('without an email a piece of the id still tells them apart', () => {
    const shared = sharedNames([alexOne, alexTwo]);
    expect(distinctName(alexOne, shared, new Map())).toBe('Alex (#000001)');
    expect(distinctName(alexOne, shared, new Map())).not.toBe(distinctName(alexTwo, shared, new Map()));
  });

  test('initials', () => {
    expect(initials('Ada Lovelace')).toBe('AL');
    expect(initials('  bob ')).toBe('B');
    expect(initials('Grace Brewster Hopper')).toBe('GH');
    expect(initials('')).toBe('?');
  });
});
