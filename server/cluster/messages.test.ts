import { expect, test } from 'bun:test';
import {
  ClusterMessageKind,
  decodeAwarenessRelay,
  decodeClusterMessage,
  decodeEndedSessions,
  decodeIdentity,
  encodeAwarenessRelay,
  encodeClusterMessage,
  encodeEndedSessions,
  encodeIdentity,
  encodeAdminChange,
  decodeAdminChange,
} from './messages.ts';

test('cluster messages round-trip and have a pinned layout', () => {
  const message = { kind: ClusterMessageKind.update, sender: 'ab', documentId: 'd', payload: new Uint8Array([7, 8]) };
  const bytes = encodeClusterMessage(message);
  // kind, sender (length + utf-8), document id (length + utf-8), payload (length + bytes)
  expect([...bytes]).toEqual([0, 2, 97, 98, 1, 100, 2, 7, 8]);
  expect(decodeClusterMessage(bytes)).toEqual(message);
});

test('foreign or damaged bytes are ignored, not thrown', () => {
  expect(decodeClusterMessage(new Uint8Array([]))).toBeNull();
  expect(decodeClusterMessage(new Uint8Array([99, 0, 0, 0]))).toBeNull();
  expect(decodeClusterMessage(new Uint8Array([0, 5, 97]))).toBeNull();
  expect(decodeClusterMessage(new TextEncoder().encode('{"hello":"json"}'))).toBeNull();
});

test('an awareness relay names the user whose connection announced it, then carries the update', () => {
  const bytes = encodeAwarenessRelay('u1', new Uint8Array([1, 2, 3]));
  // user id (length + utf-8), update (length + bytes)
  expect([...bytes]).toEqual([2, 117, 49, 3, 1, 2, 3]);
  expect(decodeAwarenessRelay(bytes)).toEqual({ userId: 'u1', update: new Uint8Array([1, 2, 3]) });
});

test('ended sessions name one session, or an account and the one session it keeps; profile changes carry id, name and colour', () => {
  expect([...encodeEndedSessions({ sessionId: 's1' })]).toEqual([0, 2, 115, 49]);
  expect([...encodeEndedSessions({ userId: 'u', exceptSessionId: null })]).toEqual([1, 1, 117, 0]);
  for (const ended of [{ sessionId: 's1' }, { userId: 'u', exceptSessionId: null }, { userId: 'u', exceptSessionId: 's2' }]) {
    expect(decodeEndedSessions(encodeEndedSessions(ended))).toEqual(ended);
  }
  const identity = { id: 'u', name: 'Zoë', color: '#e5484d' };
  expect(decodeIdentity(encodeIdentity(identity))).toEqual(identity);
});

test('admin changes carry the account and whether it is an admin now', () => {
  expect([...encodeAdminChange({ userId: 'u', admin: true })]).toEqual([1, 117, 1]);
  for (const change of [{ userId: 'u1', admin: true }, { userId: 'u2', admin: false }]) {
    expect(decodeAdminChange(encodeAdminChange(change))).toEqual(change);
  }
});
