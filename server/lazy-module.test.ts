/**
 * A server that syncs documents and answers the REST API without touching rich content keeps
 * Tiptap, ProseMirror and openid-client out of memory (about 6 MiB of RSS at rest); the first
 * request that needs them loads them and works.
 */
import { describe, expect, test } from 'bun:test';
import { join } from 'node:path';

const ROOT = join(import.meta.dir, '..');
/** Module paths of the libraries that load with their first use. */
const LAZY = /node_modules\/(@tiptap|prosemirror-|openid-client|jose|happy-dom|markdown-it|marked)/;

// Runs in a fresh process: this test runner's own module registry holds whatever other test files loaded.
const SCRIPT = `
import { connectClient, startTestServer, synced, typeParagraph, waitFor } from './server/test-support/harness.ts';
const lazy = ${LAZY};
const loaded = () => Object.keys(require.cache).filter((path) => lazy.test(path)).map((path) => path.replace(/.*node_modules\\//, ''));
const server = await startTestServer();
const session = await server.signIn('Ada');
const document = await server.createDocument(session.token);
const client = connectClient(server.wsUrl, document.id, session.token);
await synced(client);
typeParagraph(client.doc, 'typed while nothing rich was needed');
await waitFor(async () => server.server.services.writer.pending === 0 && (await server.request('/api/documents/' + document.id, { token: session.token })).ok);
const listed = await server.request('/api/documents', { token: session.token });
const atRest = loaded();
await server.createDocument(session.token, { title: 'Seeded', content: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'seeded' }] }] } });
const afterContent = loaded();
client.destroy();
await server.close();
console.log(JSON.stringify({ listed: listed.status, atRest, afterContent: afterContent.length }));
`;

describe('modules loaded on first use', () => {
  test('syncing, typing and listing load no rich-content library; creating a document with content loads them and succeeds', async () => {
    const child = Bun.spawn([process.execPath, '-e', SCRIPT], { cwd: ROOT, stdout: 'pipe', stderr: 'pipe', env: { ...process.env, LOG_LEVEL: 'warn' } });
    const [out, err, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
    expect(code, err).toBe(0);
    const result = JSON.parse(out.trim().split('\n').pop()!) as { listed: number; atRest: string[]; afterContent: number };
    expect(result.listed).toBe(200);
    expect(result.atRest).toEqual([]);
    expect(result.afterContent).toBeGreaterThan(0);
  }, 60_000);
});
