/**
 * Holds the test server's SQLite database under an exclusive lock from another process, so the
 * server's commits fail (SQLITE_BUSY) and are retried until the lock is released: a storage
 * stall that a test can start and end. Playwright runs on Node, which has no SQLite of its own,
 * so a small Bun child process holds the lock.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUN = path.join(ROOT, 'node_modules/.bin/bun');

const HOLDER = `
const { Database } = require('bun:sqlite');
const db = new Database(process.env.QUIRE_LOCK_DB);
db.exec('PRAGMA busy_timeout = 20000');
db.exec('BEGIN EXCLUSIVE');
process.stdout.write('locked\\n');
process.stdin.resume();
process.stdin.on('end', () => {
  db.exec('ROLLBACK');
  db.close();
  process.exit(0);
});
`;

/** A held lock; `release` ends it and resolves once the holder has exited. */
export interface StorageLock {
  release(): Promise<void>;
}

/** Takes the exclusive lock on `<dataDir>/quire.sqlite`; resolves once it is held. */
export async function holdStorageLock(dataDir: string): Promise<StorageLock> {
  const child = spawn(BUN, ['-e', HOLDER], {
    env: { ...process.env, QUIRE_LOCK_DB: path.join(dataDir, 'quire.sqlite') },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (errors += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (chunk.includes('locked')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`The lock holder exited (${code}) before locking:\n${errors}`)));
  });
  return {
    async release() {
      child.stdin.end();
      await exited;
    },
  };
}
