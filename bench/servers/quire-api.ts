/** The few Quire REST calls the benchmark needs, with errors that say what failed. */

/**
 * Creates a benchmark account and returns its bearer token. The first account of a server is
 * created freely; later ones (cluster instances on one database) rely on REGISTRATION=open.
 */
export async function createSession(httpUrl: string, name = 'bench'): Promise<string> {
  const email = `${name}-${crypto.randomUUID()}@bench.example`;
  const response = await fetch(`${httpUrl}/api/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, name, password: 'benchmark password' }),
  });
  if (response.status !== 201) throw new Error(`POST /api/accounts answered ${response.status}: ${await response.text()}`);
  const body = (await response.json()) as { token?: unknown };
  if (typeof body.token !== 'string') throw new Error('POST /api/accounts returned no token');
  return body.token;
}

/** Creates a document (with `content`, Tiptap JSON, as its initial state) and returns its id. */
export async function createDocument(httpUrl: string, token: string, title: string, content?: unknown): Promise<string> {
  const response = await fetch(`${httpUrl}/api/documents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(content === undefined ? { title } : { title, content }),
  });
  if (response.status !== 201) throw new Error(`POST /api/documents answered ${response.status}: ${await response.text()}`);
  const body = (await response.json()) as { id?: unknown };
  if (typeof body.id !== 'string') throw new Error('POST /api/documents returned no id');
  return body.id;
}

/** A document's title and content by its index, for `createDocuments`. */
export type DocumentSource = (index: number) => { title: string; content?: unknown };

/** Creates `count` documents with at most `concurrency` requests in flight; returns their ids in order. */
export async function createDocuments(httpUrl: string, token: string, count: number, concurrency: number, prefix: string, source?: DocumentSource): Promise<string[]> {
  const ids: string[] = new Array(count);
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const index = next++;
      const { title, content } = source?.(index) ?? { title: `${prefix} ${index}` };
      ids[index] = await createDocument(httpUrl, token, title, content);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return ids;
}

/** Names the current state of a document as a version; returns the revision's id. */
export async function nameVersion(httpUrl: string, token: string, documentId: string, label: string): Promise<number> {
  const response = await fetch(`${httpUrl}/api/documents/${documentId}/revisions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ label }),
  });
  if (response.status !== 201) throw new Error(`POST /api/documents/:id/revisions answered ${response.status}: ${await response.text()}`);
  const body = (await response.json()) as { id?: unknown };
  if (typeof body.id !== 'number') throw new Error('POST /api/documents/:id/revisions returned no id');
  return body.id;
}
