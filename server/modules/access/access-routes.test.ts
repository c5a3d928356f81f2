/**
 * Every document route × every kind of caller, on SQLite and PostgreSQL: what each may see and
 * do to a private document that is also open to its secret link. No read access is a 404 that
 * reveals nothing; read without the needed role is a 403 naming it; a link without an account
 * reads at most, and is a 401 for everything else.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { DocumentAccess, DocumentDetail, DocumentRole, Page, DocumentSummary, SharedLink } from '../../../shared/dto.ts';
import { createTestDatabase } from '../../test-support/postgres.ts';
import { startTestServer, type TestServer } from '../../test-support/harness.ts';

type Subject = 'none' | 'viewer' | 'editor' | 'owner' | 'admin' | 'linkViewer' | 'anonymousLink';
const SUBJECTS: Subject[] = ['none', 'viewer', 'editor', 'owner', 'admin', 'linkViewer', 'anonymousLink'];
const TITLE = 'Salaries 2027';

/** One route: how to call it, and the status each subject gets. */
interface RouteCase {
  name: string;
  call(doc: Fixture, headers: Headers): Promise<Response>;
  expect: Record<Subject, number>;
}

interface Fixture {
  id: string;
  linkToken: string;
}

const READ = { none: 404, viewer: 200, editor: 200, owner: 200, admin: 200, linkViewer: 200, anonymousLink: 200 };

const ROUTES = (s: () => TestServer): RouteCase[] => [
  { name: 'GET /api/documents/:id', call: (d, headers) => s().request(`/api/documents/${d.id}`, { headers }), expect: READ },
  { name: 'GET /api/documents/:id/content', call: (d, headers) => s().request(`/api/documents/${d.id}/content?format=text`, { headers }), expect: READ },
  { name: 'GET /api/documents/:id/access', call: (d, headers) => s().request(`/api/documents/${d.id}/access`, { headers }), expect: READ },
  { name: 'GET /api/activity?documentId', call: (d, headers) => s().request(`/api/activity?documentId=${d.id}`, { headers }), expect: READ },
  {
    name: 'PATCH /api/documents/:id',
    call: (d, headers) => s().request(`/api/documents/${d.id}`, { method: 'PATCH', headers, json: { title: 'Renamed' } }),
    expect: { none: 404, viewer: 403, editor: 200, owner: 200, admin: 200, linkViewer: 403, anonymousLink: 401 },
  },
  {
    name: 'PUT /api/documents/:id/access',
    call: (d, headers) =>
      s().request(`/api/documents/${d.id}/access`, { method: 'PUT', headers, json: { general: { scope: 'link', role: 'viewer' }, grants: [] } }),
    expect: { none: 404, viewer: 403, editor: 403, owner: 200, admin: 200, linkViewer: 403, anonymousLink: 401 },
  },
  {
    name: 'POST /api/documents/:id/access/link',
    call: (d, headers) => s().request(`/api/documents/${d.id}/access/link`, { method: 'POST', headers }),
    expect: { none: 404, viewer: 403, editor: 403, owner: 200, admin: 200, linkViewer: 403, anonymousLink: 401 },
  },
  {
    name: 'DELETE /api/documents/:id',
    call: (d, headers) => s().request(`/api/documents/${d.id}`, { method: 'DELETE', headers }),
    expect: { none: 404, viewer: 403, editor: 403, owner: 204, admin: 204, linkViewer: 403, anonymousLink: 401 },
  },
];

/** The role each subject has on the fixture document. */
const ROLE: Record<Subject, DocumentRole | null> = {
  none: null,
  viewer: 'viewer',
  editor: 'editor',
  owner: 'owner',
  admin: 'owner',
  linkViewer: 'viewer',
  anonymousLink: 'viewer',
};

function suite(storage: 'SQLite' | 'PostgreSQL') {
  describe(`access on every route (${storage})`, () => {
    let server: TestServer;
    let drop = async () => {};
    const tokens = {} as Record<Exclude<Subject, 'anonymousLink' | 'linkViewer'> | 'member', string>;
    const ids = {} as Record<'viewer' | 'editor', string>;

    beforeAll(async () => {
      let env: Record<string, string> = {};
      if (storage === 'PostgreSQL') {
        const database = await createTestDatabase();
        drop = database.drop;
        env = { DATABASE_URL: database.url };
      }
      server = await startTestServer({ env });
      // The first account is the workspace admin.
      for (const name of ['admin', 'owner', 'viewer', 'editor', 'none', 'member'] as const) {
        const account = await server.signIn(name);
        tokens[name] = account.token;
        if (name === 'viewer' || name === 'editor') ids[name] = account.user.id;
      }
    });
    afterAll(async () => {
      await server.close();
      await drop();
    });

    /** A fresh private document of the owner's, shared with viewer and editor, open to its link as viewer. */
    async function fixture(): Promise<Fixture> {
      const created = await server.createDocument(tokens.owner, { title: TITLE });
      const grants = [
        { user: { id: ids.viewer }, role: 'viewer' },
        { user: { id: ids.editor }, role: 'editor' },
      ];
      const response = await server.request(`/api/documents/${created.id}/access`, {
        method: 'PUT',
        token: tokens.owner,
        json: { general: { scope: 'link', role: 'viewer' }, grants },
      });
      expect(response.status).toBe(200);
      const access = (await response.json()) as DocumentAccess;
      return { id: created.id, linkToken: access.link!.split('/s/')[1]! };
    }

    function headersOf(subject: Subject, doc: Fixture): Headers {
      const headers = new Headers();
      const token = subject === 'linkViewer' ? tokens.member : subject === 'anonymousLink' ? null : tokens[subject];
      if (token) headers.set('authorization', `Bearer ${token}`);
      if (subject === 'linkViewer' || subject === 'anonymousLink') headers.set('quire-share', doc.linkToken);
      return headers;
    }

    for (const route of ROUTES(() => server)) {
      test.each(SUBJECTS)(`${route.name} as %s`, async (subject) => {
        const doc = await fixture();
        const response = await route.call(doc, headersOf(subject, doc));
        const expected = route.expect[subject];
        expect(response.status).toBe(expected);
        const text = await response.text();
        if (expected >= 400) {
          expect(response.headers.get('content-type')).toContain('application/problem+json');
          // Refusals never reveal the document: not its title, not its owner.
          expect(text).not.toContain(TITLE);
          const problem = JSON.parse(text) as { status: number; requiredRole?: string; detail?: string };
          expect(problem.status).toBe(expected);
          if (expected === 403) {
            const needed = route.name.startsWith('PATCH') ? 'editor' : 'owner';
            expect(problem.requiredRole).toBe(needed);
            expect(problem.detail).toContain(needed === 'owner' ? 'an owner' : 'an editor');
          } else {
            expect(problem.requiredRole).toBeUndefined();
          }
        }
        if (route.name === 'GET /api/documents/:id' && expected === 200) {
          expect(JSON.parse(text) as DocumentDetail).toMatchObject({ id: doc.id, title: TITLE, role: ROLE[subject]! });
        }
        if (route.name === 'GET /api/documents/:id/access' && expected === 200) {
          const access = JSON.parse(text) as DocumentAccess;
          expect(access.general).toEqual({ scope: 'link', role: 'viewer' });
          // Ordered by name: "editor" before "viewer".
          expect(access.grants.map((grant) => [grant.user.id, grant.role])).toEqual([[ids.editor, 'editor'], [ids.viewer, 'viewer']]);
          // Only owners see the secret link.
          expect(access.link !== null).toBe(ROLE[subject] === 'owner');
        }
        if (route.name === 'GET /api/documents/:id/content' && expected === 200) expect(response.headers.get('content-type')).toContain('text/plain');
        // What the refused did not change.
        if (expected >= 400 && route.name.startsWith('PATCH')) {
          const after = await server.request(`/api/documents/${doc.id}`, { token: tokens.owner });
          expect(((await after.json()) as DocumentDetail).title).toBe(TITLE);
        }
        if (expected >= 400 && route.name.startsWith('DELETE')) {
          expect((await server.request(`/api/documents/${doc.id}`, { token: tokens.owner })).status).toBe(200);
        }
      });
    }

    test.each(SUBJECTS)('GET /api/documents lists the document with the role of %s, or not at all', async (subject) => {
      const doc = await fixture();
      const response = await server.request('/api/documents?limit=100', { headers: headersOf(subject, doc) });
      if (subject === 'anonymousLink') {
        expect(response.status).toBe(401);
        return;
      }
      expect(response.status).toBe(200);
      const page = (await response.json()) as Page<DocumentSummary>;
      const listed = page.items.find((item) => item.id === doc.id);
      // A link opens a document; it does not list it.
      const expectedRole = subject === 'linkViewer' ? null : ROLE[subject];
      expect(listed?.role ?? null).toBe(expectedRole);
    });

    test.each(SUBJECTS)('GET /api/links/:token answers %s with the role the link gives', async (subject) => {
      const doc = await fixture();
      const headers = headersOf(subject, doc);
      headers.delete('quire-share');
      const response = await server.request(`/api/links/${doc.linkToken}`, { headers });
      expect(response.status).toBe(200);
      const link = (await response.json()) as SharedLink;
      // Holding the link makes anyone at least a viewer; accounts keep a stronger role they have.
      const expected = subject === 'none' || subject === 'linkViewer' || subject === 'anonymousLink' ? 'viewer' : ROLE[subject];
      expect(link).toEqual({ documentId: doc.id, title: TITLE, role: expected! });
    });

    test('a reset link stops working at once; an unknown or malformed one is a plain 404', async () => {
      const doc = await fixture();
      const rotated = await server.request(`/api/documents/${doc.id}/access/link`, { method: 'POST', token: tokens.owner });
      const fresh = ((await rotated.json()) as DocumentAccess).link!.split('/s/')[1]!;
      expect(fresh).not.toBe(doc.linkToken);
      expect(fresh).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect((await server.request(`/api/links/${doc.linkToken}`)).status).toBe(404);
      expect((await server.request(`/api/documents/${doc.id}`, { headers: { 'quire-share': doc.linkToken } })).status).toBe(404);
      expect((await server.request(`/api/documents/${doc.id}`, { headers: { 'quire-share': fresh } })).status).toBe(200);
      expect((await server.request('/api/links/not-a-link')).status).toBe(404);
      // A link of a document that is no longer open to links opens nothing.
      await server.request(`/api/documents/${doc.id}/access`, { method: 'PUT', token: tokens.owner, json: { general: { scope: 'private', role: 'viewer' }, grants: [] } });
      expect((await server.request(`/api/links/${fresh}`)).status).toBe(404);
      expect((await server.request(`/api/documents/${doc.id}`, { headers: { 'quire-share': fresh } })).status).toBe(404);
    });

    test('PUT access refuses grants it cannot keep: unknown accounts, the owner, duplicates, a general owner role', async () => {
      const doc = await fixture();
      const put = (json: unknown) => server.request(`/api/documents/${doc.id}/access`, { method: 'PUT', token: tokens.owner, json });
      const general = { scope: 'private', role: 'viewer' };
      const owner = (await (await server.request('/api/session', { token: tokens.owner })).json()) as { user: { id: string } };
      for (const grants of [[{ user: { id: 'nobody' }, role: 'viewer' }], [{ user: { id: owner.user.id }, role: 'editor' }], [{ user: { id: ids.viewer }, role: 'viewer' }, { user: { id: ids.viewer }, role: 'editor' }]]) {
        const response = await put({ general, grants });
        expect(response.status).toBe(422);
        expect(((await response.json()) as { fields?: string[] }).fields).toEqual(['grants']);
      }
      expect((await put({ general: { scope: 'workspace', role: 'owner' }, grants: [] })).status).toBe(422);
      expect((await put({ general: { scope: 'everyone', role: 'viewer' }, grants: [] })).status).toBe(422);
      // Nothing of the refused requests was applied.
      const access = (await (await server.request(`/api/documents/${doc.id}/access`, { token: tokens.owner })).json()) as DocumentAccess;
      expect(access.general).toEqual({ scope: 'link', role: 'viewer' });
      expect(access.grants).toHaveLength(2);
    });
  });
}

suite('SQLite');
suite('PostgreSQL');
