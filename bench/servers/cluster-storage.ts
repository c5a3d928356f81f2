/**
 * What the instances of a benchmarked Quire cluster share: a throwaway PostgreSQL database, the
 * local Redis server and one session secret. The database is created per run and dropped after.
 */
import { SQL } from 'bun';
import { randomBytes } from 'node:crypto';
import { TEST_DATABASE_URL, TEST_REDIS_URL, serviceUnavailable } from '../../server/test-support/services.ts';

/** The loopback PostgreSQL the benchmark may create databases on (`scripts/test-services.sh` sets it up). */
export const BENCH_POSTGRES_URL = TEST_DATABASE_URL;
/** The loopback Redis the instances use for pub/sub (nothing is stored in it). */
export const BENCH_REDIS_URL = TEST_REDIS_URL;

/** A cluster's shared settings; `drop` removes its database (idempotent, safe to call twice). */
export interface ClusterStorage {
  databaseName: string;
  /** DATABASE_URL, REDIS_URL and SESSION_SECRET, the same for every instance. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

async function withAdmin<T>(work: (sql: SQL) => Promise<T>): Promise<T> {
  const sql = new SQL(BENCH_POSTGRES_URL, { max: 1, connectionTimeout: 5 });
  try {
    return await work(sql);
  } finally {
    await sql.close();
  }
}

/** Creates an empty database for one run; fails with a message naming what is missing. */
export async function createClusterStorage(): Promise<ClusterStorage> {
  const databaseName = `quire_bench_${randomBytes(6).toString('hex')}`;
  try {
    await withAdmin((sql) => sql.unsafe(`CREATE DATABASE ${databaseName}`));
  } catch (error) {
    throw serviceUnavailable('PostgreSQL', BENCH_POSTGRES_URL, error);
  }
  const url = new URL(BENCH_POSTGRES_URL);
  url.pathname = `/${databaseName}`;
  let dropping: Promise<void> | null = null;
  return {
    databaseName,
    env: { DATABASE_URL: url.toString(), REDIS_URL: BENCH_REDIS_URL, SESSION_SECRET: randomBytes(32).toString('hex') },
    // FORCE ends the sessions of instances that are still stopping (or were killed mid-query).
    drop: () => (dropping ??= withAdmin((sql) => sql.unsafe(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`)).then(() => {})),
  };
}
