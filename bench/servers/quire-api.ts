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

/** Creates a document and returns its id. */
export async function createDocument(httpUrl: string, token: string, title: string): Promise<string> {
  const response = await fetch(`${httpUrl}/api/documents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ title }),
  });
  if (response.status !== 201) throw new Error(`POST /api/documents answered ${response.status}: ${await response.text()}`);
  const body = (await response.json()) as { id?: unknown };
  if (typeof body.id !== 'string') throw new Error('POST /api/documents returned no id');
  return body.id;
}

/** Creates `count` documents with at most `concurrency` requests in flight; returns their ids in order. */
export async function createDocuments(httpUrl: string, token: string, count: number, concurrency: number, prefix: string): Promise<string[]> {
  const ids: string[] = new Array(count);
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const index = next++;
      ids[index] = await createDocument(httpUrl, token, `${prefix} ${index}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return ids;
}
