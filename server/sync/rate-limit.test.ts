/** Rate limits refill continuously: waiting earns tokens back at the rate, and nothing resets a limited key early. */
import { afterEach, expect, test } from 'bun:test';
import { KeyedRateLimiter, TokenBucket } from './rate-limit.ts';

const limiters: KeyedRateLimiter[] = [];
afterEach(() => limiters.splice(0).forEach((limiter) => limiter.close()));

function limiter(rate: number, burst: number, sweepMs?: number): KeyedRateLimiter {
  const created = new KeyedRateLimiter(rate, burst, sweepMs);
  limiters.push(created);
  return created;
}

test('a bucket refills at its rate, never past its burst', () => {
  const bucket = new TokenBucket(2, 4, 0);
  for (let i = 0; i < 4; i++) expect(bucket.take(0)).toBe(true);
  expect(bucket.take(0)).toBe(false);
  expect(bucket.take(400)).toBe(false); // 0.8 of a token
  expect(bucket.take(500)).toBe(true); // one whole token after half a second
  expect(bucket.take(500)).toBe(false);
  expect(bucket.isFull(2400)).toBe(false);
  expect(bucket.isFull(2500)).toBe(true);
  for (let i = 0; i < 4; i++) expect(bucket.take(60_000)).toBe(true);
  expect(bucket.take(60_000)).toBe(false);
});

test('a key that used its burst stays limited across the periodic sweep, and gets tokens back only as they refill', async () => {
  // 30 a minute with bursts of 30, as for sign-ins; swept every 20 ms.
  const perMinute = limiter(0.5, 30, 20);
  for (let i = 0; i < 30; i++) expect(perMinute.take('203.0.113.7')).toBe(0);
  expect(perMinute.take('203.0.113.7')).toBeGreaterThan(0);
  await Bun.sleep(100); // several sweeps
  expect(perMinute.take('203.0.113.7')).toBeGreaterThan(0);
  expect(perMinute.take('198.51.100.1')).toBe(0); // other keys are unaffected

  const fast = limiter(20, 2, 20);
  fast.take('a');
  fast.take('a');
  expect(fast.take('a')).toBeGreaterThan(0);
  await Bun.sleep(60); // more than one token's worth (50 ms) at 20 a second
  expect(fast.take('a')).toBe(0);
});

test('buckets that have refilled completely are forgotten, limited ones kept', () => {
  const perSecond = limiter(1, 2, 3_600_000);
  perSecond.take('idle', 0);
  perSecond.take('busy', 0);
  perSecond.take('busy', 0);
  perSecond.take('busy', 0);
  perSecond.sweep(1500);
  expect(perSecond.size).toBe(1);
  expect(perSecond.take('busy', 1500)).toBe(0);
  expect(perSecond.take('busy', 1500)).toBeGreaterThan(0);
});
