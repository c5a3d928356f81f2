/**
 * PostgreSQL passes the shared Store contract, plus what only a shared database can get wrong:
 * instances migrating at once, compaction beside another instance's writes, and activity ids
 * that readers on other instances see in order. Each test works in its own throwaway schema.
 */
import { afterAll, describe, expect, test } from 'bun:test';
import { SQL } from 'bun';
import * as Y from 'yjs';
import { PostgresStore } from './postgres.ts';
import { migrate, POSTGRES_MIGRATIONS } from './postgres-schema.ts';
import { mustCreate, newAccount } from './store-accounts.contract.ts';
import { storeContract } from './store.contract.ts';
import type { ActivityEvent } from '../../shared/activity.ts';
import { TEST_DATABASE_URL as DATABASE_URL, serviceUnavailable } from '../test-support/services.ts';
const ada = { id: 'u-ada', name: 'Ada', color: '#e5484d' };
const adaAccount = { ...newAccount(ada.id, 'ada@example.com', 'admin', ada.name), color: ada.color };

let admin: Promise<SQL> | null = null;

/** One connection for creating and dropping schemas; fails loudly (never skips) without a server. */
function adminSql(): Promise<SQL> {
  admin ??= (async () => {
    const sql = new SQL(DATABASE_URL, { max: 1, connectionTimeout: 5 });
    try {
      await sql`SELECT 1`;
      return sql;
    } catch (error) {
      throw serviceUnavailable('PostgreSQL', DATABASE_URL, error);
    }
  })();
  return admin;
}

afterAll(async () => {
  if (admin) await (await admin.catch(() => null))?.close();
}, 30_000);

/** A fresh schema name, and a function that drops it. */
async function throwawaySchema(): Promise<{ name: string; drop(): Promise<void> }> {
  const sql = await adminSql();
  const name = `quire_test_${crypto.randomUUID().replaceAll('-', '')}`;
  return { name, drop: async () => void (await sql`DROP SCHEMA IF EXISTS ${sql(name)} CASCADE`) };
}

/** `count` stores on one fresh schema, as if they were separate instances. */
async function instances(count: number): Promise<{ stores: PostgresStore[]; schema: string; cleanup(): Promise<void> }> {
  const schema = await throwawaySchema();
  const opening = await Promise.allSettled(Array.from({ length: count }, () => PostgresStore.open(DATABASE_URL, { schema: schema.name })));
  const stores = opening.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = opening.find((result) => result.status === 'rejected');
  if (failed) {
    // Leave no schema behind when an instance cannot start.
    await Promise.all(stores.map((store) => store.close()));
    await schema.drop();
    throw failed.reason;
  }
  return {
    stores,
    schema: schema.name,
    async cleanup() {
      await Promise.all(stores.map((store) => store.close()));
      await schema.drop();
    },
  };
}

storeContract('PostgreSQL', async () => {
  const { stores, cleanup } = await instances(1);
  return { store: stores[0]!, cleanup };
});

test('PostgreSQL stores the exact bytes of an update that is a view into a larger frame', async () => {
  const { stores, cleanup } = await instances(1);
  const store = stores[0]!;
  try {
    await mustCreate(store.accounts, adaAccount, { kind: 'first' });
    await store.createDocument({ id: 'd1', title: 'Bytes', createdBy: ada, createdAt: 1, initialState: null, general: { scope: 'workspace', role: 'editor' } });
    // The sync server hands over updates decoded in place from a WebSocket frame.
    const frame = new Uint8Array([0, 2, 9, 0, 255, 7, 1]);
    await store.appendUpdates([{ documentId: 'd1', data: frame.subarray(2, 6), editor: null, at: 2 }]);
    const [row] = await store.loadUpdates('d1');
    expect(row!.data).toEqual(new Uint8Array([9, 0, 255, 7]));
    expect(row!.data.constructor).toBe(Uint8Array);
    expect(await store.storedBytes('d1')).toBe(4);
  } finally {
    await cleanup();
  }
});

test('PostgreSQL: users of the name-only sign-in become disabled accounts without email or password; their sessions end', async () => {
  const schema = await throwawaySchema();
  const sql = new SQL(DATABASE_URL, { max: 1, connection: { search_path: schema.name } });
  try {
    await sql.unsafe(`CREATE SCHEMA ${schema.name}`);
    await sql`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)`;
    await sql.unsafe(POSTGRES_MIGRATIONS[0]!);
    await sql`INSERT INTO schema_migrations (version, applied_at) VALUES (1, 0)`;
    await sql`INSERT INTO users (id, name, color) VALUES ('u-old', 'Ada', '#e5484d')`;
    await sql`INSERT INTO sessions (id, user_id, expires_at) VALUES ('s-old', 'u-old', ${Date.now() + 86_400_000})`;
    await sql`INSERT INTO documents (id, title, created_at, updated_at, created_by) VALUES ('d-old', 'Old', 1, 1, 'u-old')`;
    const store = await PostgresStore.open(DATABASE_URL, { schema: schema.name });
    try {
      expect(await store.accounts.getAccount('u-old')).toEqual({
        id: 'u-old', email: null, name: 'Ada', color: '#e5484d', role: 'member', disabled: true, passwordHash: null, createdAt: 0,
      });
      expect(await store.accounts.getSession('s-old', Date.now())).toBeNull();
      expect(await store.accounts.countAccounts()).toBe(0);
      expect((await store.getDocument('d-old'))?.createdBy).toEqual({ id: 'u-old', name: 'Ada' });
    } finally {
      await store.close();
    }
  } finally {
    await sql.close();
    await schema.drop();
  }
});

describe('PostgreSQL across instances', () => {
  test('three instances migrating one schema at once all start, and each migration applies once', async () => {
    const cluster = await instances(3);
    try {
      const sql = await adminSql();
      const rows = await sql`SELECT version FROM ${sql(`${cluster.schema}.schema_migrations`)} ORDER BY version`;
      expect(rows.map((row: { version: number }) => row.version)).toEqual(POSTGRES_MIGRATIONS.map((_, i) => i + 1));
      // A fourth start-up finds nothing left to do.
      const fourth = new SQL(DATABASE_URL, { max: 1, connection: { search_path: cluster.schema } });
      expect(await migrate(fourth, cluster.schema)).toBe(0);
      await fourth.close();
      await cluster.stores[2]!.ping();
    } finally {
      await cluster.cleanup();
    }
  });

  test('compaction on one instance while another appends loses no update and keeps none twice', async () => {
    const cluster = await instances(2);
    const [writer, compactor] = cluster.stores as [PostgresStore, PostgresStore];
    try {
      await mustCreate(writer.accounts, adaAccount, { kind: 'first' });
      await writer.createDocument({ id: 'd1', title: 'Shared', createdBy: ada, createdAt: 1, initialState: null, general: { scope: 'workspace', role: 'editor' } });
      const doc = new Y.Doc();
      const pending: Uint8Array[] = [];
      doc.on('update', (update: Uint8Array) => pending.push(update));
      const appended: number[] = [];
      let written = '';
      let writing = true;

      const write = async () => {
        for (let i = 0; i < 300; i++) {
          // One to three edits per batch, like one event-loop turn of the sync server.
          for (let k = 0; k <= i % 3; k++) {
            const piece = `${i}.${k};`;
            doc.getText('t').insert(doc.getText('t').length, piece);
            written += piece;
          }
          const batch = pending.splice(0).map((data) => ({ documentId: 'd1', data, editor: ada, at: i }));
          appended.push(...(await writer.appendUpdates(batch)));
        }
        writing = false;
      };
      const replaced: number[] = [];
      const snapshots: number[] = [];
      const compactOnce = async () => {
        const rows = await compactor.loadUpdates('d1');
        if (rows.length < 2) return;
        const snapshotId = await compactor.replaceUpdates('d1', rows.map((row) => row.id), Y.mergeUpdates(rows.map((row) => row.data)));
        replaced.push(...rows.map((row) => row.id));
        snapshots.push(snapshotId!);
      };
      const compact = async () => {
        while (writing) await compactOnce();
      };
      await Promise.all([write(), compact()]);
      await compactOnce();

      expect(appended).not.toContain(0);
      expect(snapshots.length).toBeGreaterThan(5);
      const rows = await compactor.loadUpdates('d1');
      // Exactly the rows never replaced remain: none lost, none left beside the snapshot holding it.
      const expectedIds = [...appended, ...snapshots].filter((id) => !replaced.includes(id));
      expect(rows.map((row) => row.id)).toEqual(expectedIds.sort((a, b) => a - b));
      expect(rows).toHaveLength(1);
      const replica = new Y.Doc();
      for (const row of rows) Y.applyUpdate(replica, row.data);
      expect(replica.getText('t').toString()).toBe(written);
    } finally {
      await cluster.cleanup();
    }
  }, 60_000);

  test('a reader resuming after the last id it saw never misses an event from concurrent instances', async () => {
    const cluster = await instances(4);
    const [reader, ...writers] = cluster.stores as [PostgresStore, ...PostgresStore[]];
    try {
      const at = new Date(1_700_000_000_000).toISOString();
      const stored: number[] = [];
      let writing = true;
      const writeLoop = async (store: PostgresStore, lane: number) => {
        for (let i = 0; i < 40; i++) {
          const events = Array.from({ length: 1 + (i % 3) }, (_, k) => ({
            type: 'document.renamed' as const,
            documentId: `d${lane}`,
            documentTitle: `T${i}`,
            actor: ada,
            at,
            details: { from: `${lane}.${i}.${k}`, to: 'x' },
          }));
          const ids = (await store.appendActivity(events)).map((event) => event.id);
          expect(ids).toEqual([...ids].sort((a, b) => a - b));
          stored.push(...ids);
        }
      };
      const seen: ActivityEvent[] = [];
      const read = async () => {
        let last = 0;
        for (let more = true; more; ) {
          more = writing;
          const batch = await reader.activitySince(last, null, 1000);
          seen.push(...batch);
          last = batch.at(-1)?.id ?? last;
        }
      };
      // Several loops per instance, so each pool commits on several connections at once.
      const writes = writers.flatMap((store, w) => [0, 1, 2].map((lane) => writeLoop(store, w * 3 + lane)));
      const reading = read();
      await Promise.all(writes);
      writing = false;
      await reading;

      const seenIds = seen.map((event) => event.id);
      expect(seenIds).toEqual(stored.sort((a, b) => a - b));
      expect(new Set(seen.map((event) => JSON.stringify(event.details))).size).toBe(seen.length);
    } finally {
      await cluster.cleanup();
    }
  }, 60_000);
});
