/** Hostile REST input: every refusal is problem+json with a useful detail, never a 500. */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { newAccountBody, startTestServer, type TestServer } from '../test-support/harness.ts';

let server: TestServer;
let token: string;
let documentId: string;
beforeAll(async () => {
  server = await startTestServer({ env: { MAX_BODY_BYTES: '4096' } });
  token = (await server.signIn('Ada')).token;
  documentId = (await server.createDocument(token)).id;
});
afterAll(() => server.close());

const chunked = (text: string) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < text.length; i += 1000) controller.enqueue(new TextEncoder().encode(text.slice(i, i + 1000)));
      controller.close();
    },
  });

async function expectProblem(response: Response, status: number, detail: RegExp): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  const problem = (await response.json()) as { status: number; detail: string };
  expect(problem.status).toBe(status);
  expect(problem.detail).toMatch(detail);
}

const post = (body: BodyInit, type = 'application/json', path = '/api/documents') =>
  server.request(path, { method: 'POST', token, headers: { 'content-type': type }, body });

test('malformed JSON is 400', async () => {
  for (const body of ['{"title":', '{title: 1}', '\u0000', '[1,]']) await expectProblem(await post(body), 400, /not valid JSON/);
});

test('wrong content types are 415', async () => {
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml']) {
    await expectProblem(await post('{"title":"a"}', type), 415, /application\/json/);
  }
});

test('over-long, unknown and mistyped fields are 422 naming the field', async () => {
  await expectProblem(await post(JSON.stringify({ title: 'a'.repeat(201) })), 422, /^title: /);
  await expectProblem(await post(JSON.stringify({ title: 'a', admin: true })), 422, /^admin: /);
  await expectProblem(await post(JSON.stringify({ title: 7 })), 422, /^title: /);
  await expectProblem(await post('{"__proto__":{"polluted":1}}'), 422, /__proto__/);
  await expectProblem(await post(JSON.stringify({ content: { type: 'doc', content: [{ type: 'script' }] } })), 422, /^content: /);
  await expectProblem(await post(JSON.stringify([1, 2])), 422, /body/);
  await expectProblem(await post(JSON.stringify(newAccountBody('x'.repeat(300))), 'application/json', '/api/accounts'), 422, /^name: /);
  await expectProblem(await post(JSON.stringify({ name: 'Ada' }), 'application/json', '/api/session'), 422, /name/);
});

test('huge bodies are 413, with or without a Content-Length', async () => {
  const huge = JSON.stringify({ title: 'x'.repeat(10_000) });
  await expectProblem(await post(huge), 413, /limit is 4096/);
  const response = await fetch(`${server.url}/api/documents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: chunked(huge),
  });
  await expectProblem(response, 413, /limit of 4096/);
  const untyped = await fetch(`${server.url}/api/documents`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: chunked(huge) });
  expect([413, 415]).toContain(untyped.status);
  // A chunked body under the limit still works.
  const small = await fetch(`${server.url}/api/documents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: chunked(JSON.stringify({ title: 'chunked' })),
  });
  expect(small.status).toBe(201);
});

test('invalid ids are 404 or 400, never reaching storage as junk', async () => {
  for (const id of ['..%2F..%2Fetc%2Fpasswd', "1'%20OR%20'1'='1", '%00', 'x'.repeat(64)]) {
    await expectProblem(await server.request(`/api/documents/${id}`, { token }), 404, /no document/);
  }
  await expectProblem(await server.request(`/api/documents/${'x'.repeat(65)}`, { token }), 400, /^id: /);
});

test('bad cursors, limits and formats are 400 naming the parameter', async () => {
  const cursors = ['%%%', Buffer.from('[1,2]').toString('base64url'), Buffer.from('[1e400,"x"]').toString('base64url'), Buffer.from('{"a":1}').toString('base64url'), 'x'.repeat(600)];
  for (const cursor of cursors) await expectProblem(await server.request(`/api/documents?cursor=${cursor}`, { token }), 400, /cursor/);
  for (const limit of ['abc', '0', '101', '1.5', '-1']) await expectProblem(await server.request(`/api/documents?limit=${limit}`, { token }), 400, /.+/);
  await expectProblem(await server.request(`/api/documents/${documentId}/content?format=pdf`, { token }), 400, /^format: /);
  await expectProblem(await server.request('/api/activity?before=abc', { token }), 400, /before/);
});

test('a bad If-Match is 412 and a nonsense route is 404, both problem+json', async () => {
  const rename = await server.request(`/api/documents/${documentId}`, { method: 'PATCH', token, json: { title: 'x' }, headers: { 'if-match': 'zzz' } });
  await expectProblem(rename, 412, /If-Match/);
  await expectProblem(await server.request('/api/nothing-here', { token }), 404, /no/);
});

test('control characters such as NUL in titles, names and filters are refused before storage', async () => {
  await expectProblem(await post(JSON.stringify({ title: 'a\u0000b' })), 422, /^title: /);
  const rename = await server.request(`/api/documents/${documentId}`, { method: 'PATCH', token, json: { title: 'tab\there' } });
  await expectProblem(rename, 422, /^title: /);
  await expectProblem(await post(JSON.stringify(newAccountBody('Ada\u0000')), 'application/json', '/api/accounts'), 422, /^name: /);
  await expectProblem(await server.request('/api/documents?q=a%00b', { token }), 400, /^q: /);
  // Ordinary text, accents and emoji are fine.
  expect((await post(JSON.stringify({ title: 'Café ☕ plan – v2' }))).status).toBe(201);
});

test('every method gets the body limit, and before authentication', async () => {
  const huge = JSON.stringify({ title: 'x'.repeat(10_000) });
  const routes = [
    ['DELETE', `/api/documents/${documentId}`],
    ['PATCH', `/api/documents/${documentId}`],
    ['POST', '/api/documents'],
    ['DELETE', '/api/session'],
  ] as const;
  for (const [method, path] of routes) {
    // No token: the 413 comes before the 401, so nobody makes the server read a huge body for free.
    const declared = await fetch(`${server.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: huge });
    await expectProblem(declared, 413, /limit is 4096/);
    const streamed = await fetch(`${server.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: chunked(huge) });
    await expectProblem(streamed, 413, /limit of 4096/);
  }
  // The document is still there: nothing was deleted on the way to the 413.
  expect((await server.request(`/api/documents/${documentId}`, { token })).status).toBe(200);
});
