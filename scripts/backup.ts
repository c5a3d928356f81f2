/**
 * `npm run backup -- --out FILE`: a consistent backup of the store the environment names
 * (DATA_DIR's SQLite database, or DATABASE_URL's PostgreSQL), taken while the server runs.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config.ts';
import { backupPostgres, backupSqlite } from '../server/ops/backup.ts';
import { runCommand } from './command.ts';

await runCommand(async () => {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  if (!values.out) throw new Error('usage: npm run backup -- --out FILE');
  const config = loadConfig();
  if (config.databaseUrl) await backupPostgres(config.databaseUrl, values.out);
  else backupSqlite(config.dataDir, values.out);
  return `backed up ${config.databaseUrl ? 'PostgreSQL (pg_dump custom format)' : `SQLite in ${config.dataDir}`} to ${values.out}`;
});
