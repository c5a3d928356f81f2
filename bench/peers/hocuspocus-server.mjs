// @ts-check
/**
 * Hocuspocus 4 as Tiptap ships it, on Node: no extensions (in memory) unless SQLITE_FILE is set,
 * in which case its SQLite extension stores documents there. Plain JavaScript because Node 20
 * runs no TypeScript and Hocuspocus is measured on Node, the runtime it targets.
 *
 * Run as its own process: `PORT=1234 [SQLITE_FILE=/tmp/x.db] node bench/peers/hocuspocus-server.mjs`.
 */
import { Server } from '@hocuspocus/server';

const port = Number(process.env.PORT ?? 0);
const sqliteFile = process.env.SQLITE_FILE;
const extensions = [];
if (sqliteFile) {
  const { SQLite } = await import('@hocuspocus/extension-sqlite');
  extensions.push(new SQLite({ database: sqliteFile }));
}

const server = new Server({
  port,
  address: '127.0.0.1',
  quiet: true,
  extensions,
  // Scenarios hold idle connections for longer than the 60 s default while they measure memory.
  timeout: 300_000,
  // Accepts any token: the benchmark measures the sync path, not an auth hook.
  async onAuthenticate() {},
});

await server.listen();
console.log(JSON.stringify({ msg: 'listening', url: `ws://127.0.0.1:${server.address.port}` }));
