/**
 * `DATA_DIR=… npm run restore -- FILE`: restores a backup made by `npm run backup` into an empty
 * data directory (SQLite), or with DATABASE_URL into an empty PostgreSQL database.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config.ts';
import { BackupError, backupKind, restorePostgres, restoreSqlite } from '../server/ops/backup.ts';
import { runCommand } from './command.ts';

await runCommand(async () => {
  const { positionals } = parseArgs({ allowPositionals: true });
  const [file] = positionals;
  if (!file || positionals.length > 1) throw new Error('usage: DATA_DIR=DIR npm run restore -- FILE');
  const config = loadConfig();
  const kind = backupKind(file);
  if (kind === 'postgres') {
    if (!config.databaseUrl) throw new BackupError(`${file} is a PostgreSQL backup: set DATABASE_URL to the (empty) database to restore it into`);
    await restorePostgres(file, config.databaseUrl);
    return `restored ${file} into the database at DATABASE_URL`;
  }
  if (config.databaseUrl) throw new BackupError(`${file} is a SQLite backup: unset DATABASE_URL and set DATA_DIR to restore it`);
  restoreSqlite(file, config.dataDir);
  return `restored ${file} into ${config.dataDir}`;
});
