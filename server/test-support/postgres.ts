/** A throwaway PostgreSQL database for tests that run whole servers against Postgres. */
import { SQL } from 'bun';
import { randomBytes } from 'node:crypto';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Creates an empty database and returns its URL; `drop` removes it. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `quire_test_${randomBytes(6).toString('hex')}`;
  const admin = new SQL(TEST_DATABASE_URL);
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } catch (error) {
    await admin.close();
    throw new Error(`PostgreSQL at ${TEST_DATABASE_URL} is needed for this test: ${(error as Error).message}`);
  }
  await admin.close();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const sql = new SQL(TEST_DATABASE_URL);
      await sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await sql.close();
    },
  };
}
