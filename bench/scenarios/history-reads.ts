/**
 * History reads (Quire only, issue 14): listing a document's revisions page by page once it has
 * 1,000 of them, and the diff of a revision of a 100 KB document, in JSON and HTML. Both
 * histories are built through the real paths: content by REST, changes over the sync socket by a
 * second account, each named as a version over REST.
 */
import { summarize } from '../lib/stats.ts';
import type { LoadWorker } from '../loadgen/worker-pool.ts';
import { createDocument, createSession } from '../servers/quire-api.ts';
import type { RunningServer } from '../servers/launcher.ts';
import { loadSequentialTrace, traceFile } from '../traces/trace-files.ts';
import { addressOf, withServer } from './server-session.ts';
import type { Metric, ResultRow, Scenario, ScenarioContext } from './types.ts';

/** The goals of issue 14, ms. */
export const LIST_P99_GOAL_MS = 20;
export const DIFF_GOAL_MS = 100;
/** The API's largest page of revisions. */
const PAGE = 100;

/** Tiptap JSON of paragraphs. */
export function paragraphsDocument(paragraphs: readonly string[]): unknown {
  return { type: 'doc', content: paragraphs.map((text) => ({ type: 'paragraph', ...(text ? { content: [{ type: 'text', text }] } : {}) })) };
}

/** The first `chars` characters of the automerge paper, one paragraph per line. */
function paperParagraphs(file: string, chars: number): string[] {
  return loadSequentialTrace(traceFile(file)).endContent.slice(0, chars).split('\n');
}

async function getJson<T>(url: string, token: string): Promise<T> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`GET ${new URL(url).pathname} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** Every page URL of a document's revisions (following the cursors) and how many revisions they hold. */
async function revisionPages(server: RunningServer, documentId: string): Promise<{ urls: string[]; revisions: number }> {
  const base = `${server.httpUrl}/api/documents/${documentId}/revisions?limit=${PAGE}`;
  const urls: string[] = [];
  let revisions = 0;
  for (let cursor: string | null = null; ; ) {
    const url: string = cursor ? `${base}&cursor=${cursor}` : base;
    const page: { items: unknown[]; nextCursor: string | null } = await getJson(url, server.token);
    urls.push(url);
    revisions += page.items.length;
    if (!page.nextCursor) return { urls, revisions };
    cursor = page.nextCursor;
  }
}

/** One reader (one lane in one load worker) requesting `urls` in turn for `durationMs`. */
async function timeRequests(worker: LoadWorker, urls: string[], token: string, durationMs: number): Promise<Record<string, Metric>> {
  const load = await worker.request('httpLoad', { urls, token, concurrency: 1, durationMs }, durationMs + 60_000);
  const latency = summarize(load.latency);
  return { requests: load.requests, failures: load.failures, medianMs: latency.median, p99Ms: latency.p99, maxMs: latency.max };
}

async function measureReads(context: ScenarioContext, server: RunningServer): Promise<ResultRow[]> {
  const { revisions, diffDocumentChars, durationMs } = context.plan.historyReads;
  const worker = context.pool.workers[0];
  if (!worker) throw new Error('no load worker');
  // A second account edits, so the diff has two authors: who wrote the text and who changed it.
  const editor = { ...addressOf(server), token: await createSession(server.httpUrl, 'editor') };
  const timeoutMs = context.plan.scenarioTimeoutMs;

  const longId = await createDocument(server.httpUrl, server.token, 'A long history', paragraphsDocument(['Revisions of this line:']));
  const built = await worker.request('reviseDocument', { server: editor, httpUrl: server.httpUrl, documentId: longId, versions: revisions, insertsPerVersion: 1, deletesPerVersion: 0, timeoutMs }, timeoutMs);
  const pages = await revisionPages(server, longId);
  context.log(`    ${pages.revisions} revisions built in ${Math.round(built.elapsedMs)} ms, ${pages.urls.length} pages`);
  const list = await timeRequests(worker, pages.urls, server.token, durationMs);

  const paragraphs = paperParagraphs(context.plan.trace.file, diffDocumentChars);
  const bigId = await createDocument(server.httpUrl, server.token, 'A 100 KB document', paragraphsDocument(paragraphs));
  const changed = await worker.request('reviseDocument', { server: editor, httpUrl: server.httpUrl, documentId: bigId, versions: 1, insertsPerVersion: 10, deletesPerVersion: 3, timeoutMs }, timeoutMs);
  const diffUrl = (format: string) => `${server.httpUrl}/api/documents/${bigId}/revisions/${changed.revisionId}/diff?format=${format}`;
  const html = await (await fetch(diffUrl('html'), { headers: { authorization: `Bearer ${server.token}` } })).text();
  const marks = { insertionsMarked: html.split('<ins').length - 1, deletionsMarked: html.split('<del').length - 1 };
  const diffs = { json: await timeRequests(worker, [diffUrl('json')], server.token, durationMs), html: await timeRequests(worker, [diffUrl('html')], server.token, durationMs) };
  context.log(`    list p99 ${list.p99Ms} ms; diff json p99 ${diffs.json.p99Ms} ms, html p99 ${diffs.html.p99Ms} ms`);

  const documentChars = paragraphs.reduce((sum, text) => sum + text.length, 0);
  // One key order for every row, so the report shows them in one table.
  const row = (name: string, timed: Record<string, Metric>, goalMs: number, extra: Partial<Record<'revisions' | 'pages' | 'documentChars' | keyof typeof marks, number>>): ResultRow => ({
    server: 'quire',
    case: name,
    metrics: {
      revisions: extra.revisions ?? null,
      pages: extra.pages ?? null,
      documentChars: extra.documentChars ?? null,
      ...timed,
      goalMs,
      goalMet: typeof timed.p99Ms === 'number' ? timed.p99Ms < goalMs : null,
      insertionsMarked: extra.insertionsMarked ?? null,
      deletionsMarked: extra.deletionsMarked ?? null,
    },
  });
  return [
    row(`list ${pages.revisions} revisions, pages of ${PAGE}`, list, LIST_P99_GOAL_MS, { revisions: pages.revisions, pages: pages.urls.length }),
    ...(['json', 'html'] as const).map((format) => row(`diff of a ${Math.round(documentChars / 1000)} KB document, ${format}`, diffs[format], DIFF_GOAL_MS, { documentChars, ...marks })),
  ];
}

/** Builds both histories on one server and times their reads. */
export const historyReadsScenario: Scenario = async (context) => {
  const { revisions, durationMs } = context.plan.historyReads;
  const rows = context.servers.includes('quire') ? await withServer(context, 'quire', (server) => measureReads(context, server)) : [];
  return {
    id: 'history-reads',
    title: '10. History reads (Quire: listing revisions, diffs)',
    rows,
    compareMetrics: [],
    notes: [
      `List: a document with ${revisions} named versions (each after one word typed over sync by a second account, committed, then POST /revisions), read as GET /api/documents/:id/revisions?limit=${PAGE} pages following the cursors; each page is one sample. Goal: p99 < ${LIST_P99_GOAL_MS} ms.`,
      `Diff: the first ${context.plan.historyReads.diffDocumentChars} characters of the automerge paper created as a document, then a second account types into 10 paragraphs and deletes 3 over sync and names the result; GET /revisions/:rid/diff against the revision before it (the initial content). Goal: p99 < ${DIFF_GOAL_MS} ms. insertionsMarked / deletionsMarked: <ins> and <del> elements in its HTML.`,
      `One reader at a time (one closed-loop lane) for ${durationMs / 1000} s per row; no Quire setting changed beyond the benchmark's own.`,
    ],
  };
};
