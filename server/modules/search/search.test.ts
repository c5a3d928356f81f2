/**
 * GET /api/search on SQLite and PostgreSQL: a sentence typed by a stock client is found within
 * seconds, titles rank first, snippets highlight the words and escape the text, and nobody finds
 * what they may not read.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { SearchPage } from '../../../shared/rich-content.ts';
import { createTestDatabase } from '../../test-support/postgres.ts';
import { connectClient, startTestServer, synced, typeParagraph, waitFor, type TestServer } from '../../test-support/harness.ts';

const paragraph = (text: string) => ({ type: 'paragraph', content: [{ type: 'text', text }] });
const doc = (...texts: string[]) => ({ type: 'doc', content: texts.map(paragraph) });

function suite(storage: 'SQLite' | 'PostgreSQL') {
  describe(`search (${storage})`, () => {
    let server: TestServer;
    let drop = async () => {};
    let ada = '';
    let bob = '';

    beforeAll(async () => {
      let env: Record<string, string> = { SEARCH_INDEX_INTERVAL_MS: '100' };
      if (storage === 'PostgreSQL') {
        const database = await createTestDatabase();
        drop = database.drop;
        env = { ...env, DATABASE_URL: database.url };
      }
      server = await startTestServer({ env });
      ada = (await server.signIn('Ada')).token;
      bob = (await server.signIn('Bob')).token;
    });
    afterAll(async () => {
      await server.close();
      await drop();
    });

    const search = async (token: string, q: string, extra = '') => {
      const response = await server.request(`/api/search?q=${encodeURIComponent(q)}${extra}`, { token });
      expect(response.status).toBe(200);
      return (await response.json()) as SearchPage;
    };
    const found = (token: string, q: string) => waitFor(async () => (await search(token, q)).items.length > 0, 10_000, `search for "${q}"`);

    test('finds a sentence a stock client typed a moment ago, highlighted', async () => {
      const { id } = await server.createDocument(ada, { title: 'Standup' });
      const client = connectClient(server.wsUrl, id, ada);
      try {
        await synced(client);
        typeParagraph(client.doc, 'The heron <blue> waits by the marsh at dawn');
        await found(ada, 'heron marsh');
        const [hit] = (await search(ada, 'heron marsh')).items;
        expect(hit!.document).toMatchObject({ id, title: 'Standup', role: 'owner' });
        expect(hit!.snippet).toContain('<mark>heron</mark> &lt;blue&gt; waits by the <mark>marsh</mark> at dawn');
        // The last word matches as a prefix: the quick-open palette searches while people type.
        expect((await search(ada, 'hero')).items.map((item) => item.document.id)).toEqual([id]);
      } finally {
        client.destroy();
      }
    });

    test('a title match ranks above a mention in the text; pages follow the cursor without repeats', async () => {
      const mention = await server.createDocument(ada, { title: 'Notes', content: doc('We need a lighthouse budget soon') });
      const titled = await server.createDocument(ada, { title: 'Lighthouse plans', content: doc('Drawings of the tower') });
      await waitFor(async () => (await search(ada, 'lighthouse')).items.length === 2, 10_000, 'both indexed');
      expect((await search(ada, 'lighthouse')).items.map((item) => item.document.id)).toEqual([titled.id, mention.id]);
      const first = await search(ada, 'lighthouse', '&limit=1');
      expect(first.items.map((item) => item.document.id)).toEqual([titled.id]);
      const second = await search(ada, 'lighthouse', `&limit=1&cursor=${first.nextCursor}`);
      expect(second.items.map((item) => item.document.id)).toEqual([mention.id]);
      expect(second.nextCursor).toBeNull();
    });

    test("only what the caller may read: another's private document stays hidden, a deleted one disappears", async () => {
      const secret = await server.createDocument(ada, { title: 'Secret', content: doc('zanzibar treaty draft') });
      await server.request(`/api/documents/${secret.id}/access`, { method: 'PUT', token: ada, json: { general: { scope: 'private', role: 'editor' }, grants: [] } });
      const open = await server.createDocument(ada, { title: 'Open', content: doc('zanzibar travel guide') });
      await waitFor(async () => (await search(ada, 'zanzibar')).items.length === 2, 10_000, 'both indexed');
      expect((await search(bob, 'zanzibar')).items.map((item) => item.document.id)).toEqual([open.id]);
      expect((await server.request(`/api/documents/${open.id}`, { method: 'DELETE', token: ada })).status).toBe(204);
      expect((await search(ada, 'zanzibar')).items.map((item) => item.document.id)).toEqual([secret.id]);
      expect((await server.request('/api/search?q=zanzibar')).status).toBe(401);
    });
  });
}

suite('SQLite');
suite('PostgreSQL');
