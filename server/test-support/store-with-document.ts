/**
 * A SQLite store with one account and one private document, for probes of the write path
 * (tests and benchmark scripts alike: nothing here depends on the test runner).
 */
import { SqliteStore } from '../storage/sqlite.ts';

/** Opens a store in `dataDir` and adds an admin account and one document of it. */
export async function storeWithDocument(dataDir: string, title = 'Probe'): Promise<{ store: SqliteStore; documentId: string }> {
  const store = new SqliteStore(dataDir);
  const owner = { id: 'u-probe', name: 'Probe' };
  const created = await store.accounts.createAccount(
    { id: owner.id, email: 'probe@example.com', name: owner.name, color: '#e5484d', role: 'admin', passwordHash: null, createdAt: Date.now() },
    { kind: 'first' },
  );
  if (created.status !== 'created') throw new Error(`account not created: ${created.status}`);
  const document = await store.createDocument({
    id: crypto.randomUUID(),
    title,
    createdBy: owner,
    createdAt: Date.now(),
    initialState: null,
    general: { scope: 'private', role: 'viewer' },
  });
  return { store, documentId: document.id };
}
