import { describe, expect, test } from 'bun:test';
import { caretColor, presentUsers } from './presence.ts';

describe('caretColor', () => {
  test('keeps #rrggbb, expands #rgb, replaces anything else stably', () => {
    expect(caretColor('#AABBCC', 'u1')).toBe('#aabbcc');
    expect(caretColor('#abc', 'u1')).toBe('#aabbcc');
    const picked = caretColor('hsl(200 50% 50%)', 'u1');
    expect(picked).toMatch(/^#[0-9a-f]{6}$/);
    expect(caretColor(undefined, 'u1')).toBe(picked);
  });
});

describe('presentUsers', () => {
  test('one entry per user, self first, states without a user skipped', () => {
    const states = new Map<number, unknown>([
      [1, { user: { id: 'b', name: 'Bob', color: '#00ff00' } }],
      [2, { user: { id: 'a', name: 'Ada', color: '#ff0000' } }],
      [3, { user: { id: 'b', name: 'Bob', color: '#00ff00' } }],
      [4, {}],
      [5, { user: { id: 'c', name: 'Cy' } }],
    ]);
    const users = presentUsers(states, 3);
    expect(users.map((user) => [user.name, user.self])).toEqual([
      ['Bob', true],
      ['Ada', false],
      ['Cy', false],
    ]);
    expect(users[2]?.color).toMatch(/^#[0-9a-f]{6}$/);
  });

  test('two accounts with one name are two people; a state without an id is nobody', () => {
    const states = new Map<number, unknown>([
      [1, { user: { id: 'alex-2', name: 'Alex', color: '#00ff00' } }],
      [2, { user: { id: 'alex-1', name: 'Alex', color: '#ff0000' } }],
      [3, { user: { name: 'Alex' } }],
    ]);
    expect(presentUsers(states, 9).map((user) => user.id)).toEqual(['alex-1', 'alex-2']);
  });
});
