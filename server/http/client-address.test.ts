/** Which address a request is charged to, under each TRUST_PROXY setting. */
import { expect, test } from 'bun:test';
import { loadConfig } from '../config.ts';
import { clientAddressRule } from './client-address.ts';

const rule = (trustProxy?: string) => clientAddressRule(loadConfig(trustProxy === undefined ? {} : { TRUST_PROXY: trustProxy }).trustProxy);

test('unset (or 0): X-Forwarded-For is ignored, the socket peer is the client', () => {
  for (const setting of [undefined, '0']) {
    const address = rule(setting);
    expect(address('127.0.0.1', null)).toBe('127.0.0.1');
    expect(address('127.0.0.1', '203.0.113.9')).toBe('127.0.0.1');
    expect(address('::ffff:192.0.2.1', '203.0.113.9, 198.51.100.2')).toBe('192.0.2.1');
  }
});

test('a hop count: the address that many entries left of the peer, whatever the client prepended', () => {
  const one = rule('1');
  expect(one('10.0.0.2', '203.0.113.9')).toBe('203.0.113.9');
  expect(one('10.0.0.2', 'spoofed, 1.1.1.1,203.0.113.9')).toBe('203.0.113.9');
  expect(one('10.0.0.2', null)).toBe('10.0.0.2'); // reached directly, no header: the peer
  expect(one('10.0.0.2', '[2001:db8::1]:4711')).toBe('2001:db8::1');
  expect(one('10.0.0.2', '203.0.113.9:5000')).toBe('203.0.113.9');
  const two = rule('2');
  expect(two('10.0.0.2', 'spoofed, 203.0.113.9, 10.0.0.7')).toBe('203.0.113.9');
  expect(two('10.0.0.2', '10.0.0.7')).toBe('10.0.0.7'); // fewer entries than hops: the leftmost
});

test('a list of proxies: the rightmost address that is not one of them', () => {
  const address = rule('10.0.0.0/8, 127.0.0.1, ::1, fd00::/8');
  expect(address('127.0.0.1', '203.0.113.9')).toBe('203.0.113.9');
  expect(address('127.0.0.1', 'spoofed, 203.0.113.9, 10.1.2.3')).toBe('203.0.113.9');
  expect(address('::1', '2001:db8::5, fd00::1')).toBe('2001:db8::5');
  expect(address('::ffff:10.0.0.1', '192.0.2.44')).toBe('192.0.2.44');
  // A peer that is not a trusted proxy is the client, whatever it claims.
  expect(address('198.51.100.7', '203.0.113.9')).toBe('198.51.100.7');
  // Everything trusted: the leftmost.
  expect(address('127.0.0.1', '10.9.9.9')).toBe('10.9.9.9');
});
