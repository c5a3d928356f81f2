/**
 * `npm run import -- --url URL FILE.tar.gz`: creates one document per document of an export
 * archive, owned by the token's account (QUIRE_TOKEN, or --token).
 */
import { parseArgs } from 'node:util';
import { importDocuments } from '../server/ops/portable.ts';
import { runCommand } from './command.ts';

await runCommand(async () => {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { url: { type: 'string' }, token: { type: 'string' } } });
  const token = values.token ?? process.env.QUIRE_TOKEN;
  if (!values.url || positionals.length !== 1 || !token) throw new Error('usage: QUIRE_TOKEN=TOKEN npm run import -- --url https://docs.example.com FILE.tar.gz');
  const created = await importDocuments(values.url, token, positionals[0]!);
  return `imported ${created.size} documents`;
});
