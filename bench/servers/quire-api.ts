/** The few Quire REST calls the benchmark needs, with errors that say what failed. */

/** Signs in as a benchmark user and returns the bearer token. */
export async function createSession(httpUrl: string, name = 'bench'): Promise<string> {
  const response = await fetch(`${httpUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  if (response.status !== 201) throw new Error(`POST /api/session answered ${response.status}: ${await response.text()}`);
  const body = (await response.json()) as { token?: unknown };
  if (typeof body.token !== 'string') throw new Error('POST /api/session returned no token');
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
