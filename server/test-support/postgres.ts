/** A throwaway PostgreSQL database for tests that run whole servers against Postgres. */
import { SQL } from 'bun';
import { randomBytes } from 'node:crypto';
import { TEST_DATABASE_URL, TEST_REDIS_URL, serviceUnavailable } from './services.ts';

export { TEST_DATABASE_URL, TEST_REDIS_URL };

/** Creates an empty database and returns its URL; `drop` removes it. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `quire_test_${randomBytes(6).toString('hex')}`;
  const admin = new SQL(TEST_DATABASE_URL, { max: 1, connectionTimeout: 5 });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } catch (error) {
    throw serviceUnavailable('PostgreSQL', TEST_DATABASE_URL, error);
  } finally {
    await admin.close();
  }
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const sql = new SQL(TEST_DATABASE_URL, { max: 1 });
      await sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await sql.close();
    },
  };
}
