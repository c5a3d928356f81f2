/**
 * Online backups and their restore. SQLite: `VACUUM INTO` from a read transaction of its own, so
 * the copy is one consistent moment while the server goes on writing (WAL readers never block
 * the writer); the data directory's session secret travels inside the copy, so sessions survive
 * a restore. PostgreSQL: `pg_dump` in its custom format (one snapshot by design) and
 * `pg_restore`. A restore only ever fills an empty target.
 */
import { Database } from 'bun:sqlite';
import { SQL } from 'bun';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../storage/private-files.ts';

/** Thrown for anything the operator must fix; its message says what. */
export class BackupError extends Error {
  override name = 'BackupError';
}

const DATABASE_FILE = 'quire.sqlite';
/** Files of the data directory that the SQLite backup carries besides the database. */
const CARRIED_FILES = ['session-secret'];
/** Where those files ride inside the backup: a table the restore reads and drops. */
const CARRIED_TABLE = 'quire_backup_files';
/** How long the backup waits for a lock the server holds (it only ever needs a read). */
const BUSY_TIMEOUT_MS = 10_000;

/** What a backup file holds, told by its first bytes. */
export function backupKind(file: string): 'sqlite' | 'postgres' {
  const head = readFileSync(file).subarray(0, 16);
  if (head.toString('latin1') === 'SQLite format 3\0') return 'sqlite';
  if (head.subarray(0, 5).toString('latin1') === 'PGDMP') return 'postgres';
  throw new BackupError(`${file} is neither a SQLite backup nor a pg_dump archive made by npm run backup`);
}

function refuseExisting(out: string): void {
  if (existsSync(out)) throw new BackupError(`${out} exists already; name a new file`);
  mkdirSync(dirname(resolve(out)), { recursive: true });
}

/** Copies `dataDir`'s database, as of one moment, into the new file `out`. */
export function backupSqlite(dataDir: string, out: string): void {
  const source = join(dataDir, DATABASE_FILE);
  if (!existsSync(source)) throw new BackupError(`no Quire database at ${source} (is DATA_DIR right?)`);
  refuseExisting(out);
  const db = new Database(source, { readonly: true });
  try {
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.query('VACUUM INTO ?').run(out);
  } finally {
    db.close();
  }
  const copy = new Database(out);
  try {
    copy.exec(`CREATE TABLE ${CARRIED_TABLE} (name TEXT PRIMARY KEY, content BLOB NOT NULL)`);
    for (const name of CARRIED_FILES) {
      const file = join(dataDir, name);
      if (existsSync(file)) copy.query(`INSERT INTO ${CARRIED_TABLE} (name, content) VALUES (?, ?)`).run(name, readFileSync(file));
    }
  } finally {
    copy.close();
  }
}

/** Restores a SQLite backup into `dataDir`, which must be missing or empty. */
export function restoreSqlite(file: string, dataDir: string): void {
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    throw new BackupError(`DATA_DIR ${dataDir} is not empty; restore only into an empty or new directory (nothing was changed)`);
  }
  ensurePrivateDir(dataDir);
  const target = join(dataDir, DATABASE_FILE);
  copyFileSync(file, target);
  const db = new Database(target);
  try {
    const carried = db.query(`SELECT name, content FROM ${CARRIED_TABLE}`).all() as { name: string; content: Uint8Array }[];
    for (const { name, content } of carried) {
      if (CARRIED_FILES.includes(name)) writeFileSync(join(dataDir, name), content, { mode: PRIVATE_FILE_MODE });
    }
    db.exec(`DROP TABLE ${CARRIED_TABLE}`);
  } finally {
    db.close();
  }
}

/** The URL without its password, which goes to the PostgreSQL tools through `PGPASSWORD`. */
function toolConnection(databaseUrl: string): { url: string; env: Record<string, string> } {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  return { url: url.toString(), env: password ? { PGPASSWORD: password } : {} };
}

async function run(command: string[], env: Record<string, string>): Promise<void> {
  let child: Bun.Subprocess<'ignore', 'ignore', 'pipe'>;
  try {
    child = Bun.spawn(command, { env: { ...process.env, ...env }, stdin: 'ignore', stdout: 'ignore', stderr: 'pipe' });
  } catch (error) {
    throw new BackupError(`${command[0]} is needed (install the PostgreSQL client tools): ${error instanceof Error ? error.message : String(error)}`);
  }
  const [code, stderr] = await Promise.all([child.exited, new Response(child.stderr).text()]);
  if (code !== 0) throw new BackupError(`${command[0]} failed (exit ${code}): ${stderr.trim()}`);
}

/** Dumps the database at `databaseUrl` into the new file `out` (pg_dump's custom format). */
export async function backupPostgres(databaseUrl: string, out: string): Promise<void> {
  refuseExisting(out);
  const { url, env } = toolConnection(databaseUrl);
  await run(['pg_dump', '--format=custom', '--no-owner', '--no-privileges', `--file=${out}`, `--dbname=${url}`], env);
}

/** Restores a pg_dump archive into the database at `databaseUrl`, which must have no tables. */
export async function restorePostgres(file: string, databaseUrl: string): Promise<void> {
  const sql = new SQL(databaseUrl, { max: 1 });
  try {
    const [{ count }] = await sql`SELECT count(*)::int AS count FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')`;
    if (count > 0) throw new BackupError(`the database at DATABASE_URL has ${count} tables; restore only into an empty database (nothing was changed)`);
  } finally {
    await sql.close();
  }
  const { url, env } = toolConnection(databaseUrl);
  await run(['pg_restore', '--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${url}`, file], env);
}
