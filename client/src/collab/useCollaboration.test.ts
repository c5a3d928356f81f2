import { describe, expect, test } from 'bun:test';
import { syncParams, syncServerUrl } from './useCollaboration.ts';

describe('the sync socket address', () => {
  test("Quire's client asks for role messages, and a link's visitor carries the link token", () => {
    expect(syncParams(null)).toEqual({ roles: '1' });
    expect(syncParams('tok')).toEqual({ roles: '1', share: 'tok' });
  });

  test('follows the page: wss on https', () => {
    expect(syncServerUrl({ protocol: 'https:', host: 'quire.test' } as Location)).toBe('wss://quire.test/sync');
    expect(syncServerUrl({ protocol: 'http:', host: '127.0.0.1:3000' } as Location)).toBe('ws://127.0.0.1:3000/sync');
  });
});
