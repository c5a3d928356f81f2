import { describe, expect, test } from 'bun:test';
import { relativeTime } from './relative.ts';

const now = new Date('2025-03-10T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

describe('relativeTime', () => {
  test('recent and slightly future times read as just now', () => {
    expect(relativeTime(ago(5_000), now)).toBe('just now');
    expect(relativeTime(ago(-3_000), now)).toBe('just now');
  });

  test('minutes, hours and days', () => {
    expect(relativeTime(ago(50_000), now)).toBe('1 minute ago');
    expect(relativeTime(ago(5 * 60_000), now)).toBe('5 minutes ago');
    expect(relativeTime(ago(2 * 3_600_000), now)).toBe('2 hours ago');
    expect(relativeTime(ago(26 * 3_600_000), now)).toBe('yesterday');
    expect(relativeTime(ago(3 * 86_400_000), now)).toBe('3 days ago');
  });

  test('older than a week shows the date', () => {
    expect(relativeTime(new Date('2025-01-02T12:00:00Z'), now)).toBe('Jan 2, 2025');
  });

  test('accepts ISO strings and ignores garbage', () => {
    expect(relativeTime('2025-03-10T11:00:00Z', now)).toBe('1 hour ago');
    expect(relativeTime('not a date', now)).toBe('');
  });
});
