/**
 * `npm run export -- --url URL --out FILE.tar.gz`: every document the token (QUIRE_TOKEN, or
 * --token) can read, as Markdown and ProseMirror JSON, in one archive. Use an admin's token to
 * take every document.
 */
import { parseArgs } from 'node:util';
import { exportDocuments } from '../server/ops/portable.ts';
import { runCommand } from './command.ts';

await runCommand(async () => {
  const { values } = parseArgs({ options: { url: { type: 'string' }, token: { type: 'string' }, out: { type: 'string' } } });
  const token = values.token ?? process.env.QUIRE_TOKEN;
  if (!values.url || !values.out || !token) throw new Error('usage: QUIRE_TOKEN=TOKEN npm run export -- --url https://docs.example.com --out FILE.tar.gz');
  const manifest = await exportDocuments(values.url, token, values.out);
  return `exported ${manifest.documents.length} documents to ${values.out}`;
});
