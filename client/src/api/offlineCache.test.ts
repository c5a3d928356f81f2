import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import type { User } from '../../../shared/dto.ts';
import { cachedSessionUser, forgetUserData, rememberDocument, rememberSessionUser, cachedDocument } from './offlineCache.ts';

/** A Storage in memory, as the browser's localStorage behaves. */
class MemoryStorage {
  private readonly items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, String(value));
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

const ada: User = { id: 'u-ada', name: 'Ada', email: 'ada@example.test', color: '#4f46e5', role: 'admin' };

describe('offline memory of the session', () => {
  beforeEach(() => {
    (globalThis as { localStorage?: unknown }).localStorage = new MemoryStorage();
  });
  afterEach(() => {
    delete (globalThis as { localStorage?: unknown }).localStorage;
  });

  test('keeps a whole account, with email and role', () => {
    rememberSessionUser(ada);
    expect(cachedSessionUser()).toEqual(ada);
  });

  test('a session remembered before accounts (a name only) does not stand in', () => {
    localStorage.setItem('quire:session-user', JSON.stringify({ id: 'u-old', name: 'Old', color: '#000000' }));
    expect(cachedSessionUser()).toBeNull();
    localStorage.setItem('quire:session-user', '{not json');
    expect(cachedSessionUser()).toBeNull();
  });

  test('forgetting a user removes their documents and the remembered session', () => {
    rememberSessionUser(ada);
    const document = { id: 'd1', title: 'Plan', createdAt: '', updatedAt: '', createdBy: ada, updatedBy: null, role: 'owner' as const, version: 1, sizeBytes: 0 };
    rememberDocument(ada.id, document);
    expect(cachedDocument(ada.id, 'd1')?.title).toBe('Plan');
    forgetUserData(ada.id);
    expect(cachedDocument(ada.id, 'd1')).toBeNull();
    expect(cachedSessionUser()).toBeNull();
  });

  test('a document kept before roles existed opens as an editor would, a kept role stays', () => {
    const document = { id: 'd2', title: 'Old', createdAt: '', updatedAt: '', createdBy: ada, updatedBy: null, version: 1, sizeBytes: 0 };
    localStorage.setItem('quire:u-ada:doc:d2', JSON.stringify(document));
    expect(cachedDocument(ada.id, 'd2')?.role).toBe('editor');
    rememberDocument(ada.id, { ...document, role: 'viewer' });
    expect(cachedDocument(ada.id, 'd2')?.role).toBe('viewer');
  });
});
