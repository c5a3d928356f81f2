/** The documents REST API: every route's success and failure cases, over real HTTP. */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { DocumentDetail, DocumentSummary, Page, Problem } from '../../../shared/dto.ts';
import { connectClient, newAccountBody, startTestServer, synced, typeParagraph, waitFor, type TestServer } from '../../test-support/harness.ts';

let server: TestServer;
let token: string;
let otherToken: string;

beforeAll(async () => {
  server = await startTestServer();
  token = (await server.signIn('Ada')).token;
  otherToken = (await server.signIn('Bob')).token;
});
afterAll(() => server.close());

async function problem(response: Response, status: number): Promise<Problem> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  const body = (await response.json()) as Problem;
  expect(body.status).toBe(status);
  return body;
}

describe('authentication', () => {
  test('every documents route answers 401 without a session', async () => {
    const routes: [string, string][] = [
      ['GET', '/api/documents'],
      ['POST', '/api/documents'],
      ['GET', '/api/documents/x'],
      ['PATCH', '/api/documents/x'],
      ['DELETE', '/api/documents/x'],
      ['GET', '/api/documents/x/content'],
    ];
    for (const [method, path] of routes) {
      const response = await server.request(path, { method, ...(method === 'POST' || method === 'PATCH' ? { json: { title: 'x' } } : {}) });
      await problem(response, 401);
    }
  });

  test('the cookie works as well as the bearer token', async () => {
    const signIn = await server.request('/api/accounts', { method: 'POST', json: newAccountBody('Cookie user') });
    const cookie = signIn.headers.get('set-cookie')!;
    expect(cookie).toMatch(/quire_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
    const response = await server.request('/api/documents', { headers: { cookie: cookie.split(';')[0]! } });
    expect(response.status).toBe(200);
  });
});

describe('create and read', () => {
  test('POST creates with Location and ETag; GET returns it', async () => {
    const response = await server.request('/api/documents', { method: 'POST', token, json: { title: '  Roadmap  ' } });
    expect(response.status).toBe(201);
    const created = (await response.json()) as DocumentDetail;
    expect(created).toMatchObject({ title: 'Roadmap', createdBy: { name: 'Ada' }, updatedBy: null, version: 1 });
    expect(response.headers.get('location')).toBe(`/api/documents/${created.id}`);
    const fetched = await server.request(`/api/documents/${created.id}`, { token: otherToken });
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('etag')).toBe('"1"');
    // Everyone in the workspace edits it by default; its creator owns it.
    expect(created.role).toBe('owner');
    expect(await fetched.json()).toEqual({ ...created, role: 'editor' });
  });

  test('a title is optional', async () => {
    expect((await server.createDocument(token, {})).title).toBe('Untitled');
  });

  test('initial content is rendered in all four formats', async () => {
    const content = {
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Plan' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'Ship ' }, { type: 'text', text: 'beta', marks: [{ type: 'bold' }] }] },
      ],
    };
    const { id } = await server.createDocument(token, { title: 'With content', content });
    const json = await (await server.request(`/api/documents/${id}/content?format=json`, { token })).json();
    expect(json.content[0]).toMatchObject({ type: 'heading', content: [{ text: 'Plan' }] });
    expect(await (await server.request(`/api/documents/${id}/content?format=html`, { token })).text()).toBe(
      '<h1>Plan</h1><p>Ship <strong>beta</strong></p>',
    );
    expect(await (await server.request(`/api/documents/${id}/content?format=text`, { token })).text()).toBe('Plan\nShip beta');
    expect(await (await server.request(`/api/documents/${id}/content?format=markdown`, { token })).text()).toBe('# Plan\n\nShip **beta**');
    const defaultFormat = await server.request(`/api/documents/${id}/content`, { token });
    expect(defaultFormat.headers.get('content-type')).toContain('application/json');
  });

  test('content renders the live state after edits over the sync endpoint', async () => {
    const { id } = await server.createDocument(token);
    const client = connectClient(server.wsUrl, id, token);
    try {
      await synced(client);
      typeParagraph(client.doc, 'typed live');
      await waitFor(async () => (await (await server.request(`/api/documents/${id}/content?format=text`, { token })).text()) === 'typed live');
      expect(await (await server.request(`/api/documents/${id}/content?format=markdown`, { token })).text()).toBe('typed live');
      expect(await (await server.request(`/api/documents/${id}/content?format=html`, { token })).text()).toBe('<p>typed live</p>');
    } finally {
      client.destroy();
    }
    // Also after the room is released: rendered from storage.
    await waitFor(() => server.server.services.rooms.peek(id) === null);
    expect(await (await server.request(`/api/documents/${id}/content?format=text`, { token })).text()).toBe('typed live');
  });

  test('unknown ids are 404 on every route', async () => {
    for (const [method, path] of [
      ['GET', '/api/documents/00000000-0000-0000-0000-000000000000'],
      ['PATCH', '/api/documents/nope'],
      ['DELETE', '/api/documents/nope'],
      ['GET', '/api/documents/nope/content'],
      ['GET', '/api/documents/bad%20id!'],
    ] as const) {
      await problem(await server.request(path, { method, token, ...(method === 'PATCH' ? { json: { title: 't' } } : {}) }), 404);
    }
  });
});

describe('validation', () => {
  test('bad bodies get 400/422 naming the field', async () => {
    const cases: [unknown, number, string][] = [
      [{ title: 'x'.repeat(201) }, 422, 'title'],
      [{ title: 42 }, 422, 'title'],
      [{ title: 'ok', colour: 'red' }, 422, 'colour'],
      [{ content: { type: 'doc', content: [{ type: 'nonsense' }] } }, 422, 'content'],
      [{ content: { type: 'paragraph' } }, 422, 'content'],
    ];
    for (const [body, status, field] of cases) {
      const details = await problem(await server.request('/api/documents', { method: 'POST', token, json: body }), status);
      expect(`${details.detail} ${details.fields?.join(' ')}`).toContain(field);
    }
  });

  test('malformed JSON is 400 and a non-JSON content type is 415', async () => {
    await problem(await server.request('/api/documents', { method: 'POST', token, body: '{"title": ', headers: { 'content-type': 'application/json' } }), 400);
    await problem(await server.request('/api/documents', { method: 'POST', token, body: 'title=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415);
  });

  test('bad query parameters are 400', async () => {
    await problem(await server.request('/api/documents?limit=0', { token }), 400);
    await problem(await server.request('/api/documents?limit=101', { token }), 400);
    await problem(await server.request('/api/documents?cursor=garbage', { token }), 400);
    const { id } = await server.createDocument(token);
    await problem(await server.request(`/api/documents/${id}/content?format=pdf`, { token }), 400);
  });
});

describe('rename and delete', () => {
  test('PATCH renames; a stale If-Match is 412 and changes nothing', async () => {
    const { id } = await server.createDocument(token, { title: 'Draft' });
    const renamed = await server.request(`/api/documents/${id}`, { method: 'PATCH', token: otherToken, json: { title: 'Final' }, headers: { 'if-match': '"1"' } });
    expect(renamed.status).toBe(200);
    expect(renamed.headers.get('etag')).toBe('"2"');
    expect(await renamed.json()).toMatchObject({ title: 'Final', version: 2, updatedBy: { name: 'Bob' } });
    const stale = await server.request(`/api/documents/${id}`, { method: 'PATCH', token, json: { title: 'Lost' }, headers: { 'if-match': '"1"' } });
    await problem(stale, 412);
    await problem(await server.request(`/api/documents/${id}`, { method: 'PATCH', token, json: { title: 'x' }, headers: { 'if-match': 'garbage' } }), 412);
    expect(((await (await server.request(`/api/documents/${id}`, { token })).json()) as DocumentDetail).title).toBe('Final');
    await problem(await server.request(`/api/documents/${id}`, { method: 'PATCH', token, json: { title: '   ' } }), 422);
  });

  test('DELETE removes the document', async () => {
    const { id } = await server.createDocument(token);
    expect((await server.request(`/api/documents/${id}`, { method: 'DELETE', token })).status).toBe(204);
    await problem(await server.request(`/api/documents/${id}`, { token }), 404);
    await problem(await server.request(`/api/documents/${id}`, { method: 'DELETE', token }), 404);
  });
});

describe('listing', () => {
  test('pages newest first without gaps or repeats, and filters by title', async () => {
    const fresh = await startTestServer();
    try {
      const { token: t } = await fresh.signIn('Lister');
      const titles = Array.from({ length: 25 }, (_, i) => (i % 5 === 0 ? `Report ${i}` : `Note ${i}`));
      for (const title of titles) await fresh.createDocument(t, { title });
      const seen: DocumentSummary[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
        const page = (await (await fresh.request(`/api/documents?limit=10${query}`, { token: t })).json()) as Page<DocumentSummary>;
        seen.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      // Every document exactly once, newest first (documents created in one millisecond tie-break by id).
      expect(seen.map((d) => d.title).sort()).toEqual([...titles].sort());
      const times = seen.map((d) => Date.parse(d.updatedAt));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      const filtered = (await (await fresh.request('/api/documents?q=report', { token: t })).json()) as Page<DocumentSummary>;
      expect(filtered.items.map((d) => d.title).sort()).toEqual(titles.filter((x) => x.startsWith('Report')).sort());
      expect(filtered.nextCursor).toBeNull();
    } finally {
      await fresh.close();
    }
  });
});
