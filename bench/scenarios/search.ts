/**
 * Search (Quire only, issue 15): GET /api/search over 10,000 documents the caller can read, on
 * SQLite and on PostgreSQL. Each document is a passage of the automerge paper (real English, so
 * words have real frequencies) with a word of its own; once the indexer has caught up, queries
 * of four kinds are timed: a word in nearly every document, words in about 1 % of them, two
 * words together, and a document's own word.
 */
import { SQL } from 'bun';
import { loadConfig } from '../../server/config.ts';
import { searchTerms } from '../../server/modules/search/service.ts';
import { openStore } from '../../server/server.ts';
import { sleep } from '../lib/deadline.ts';
import { mergeSamples, round, summarize } from '../lib/stats.ts';
import { createClusterStorage } from '../servers/cluster-storage.ts';
import type { RunningServer } from '../servers/launcher.ts';
import { createDocuments } from '../servers/quire-api.ts';
import { loadSequentialTrace, traceFile } from '../traces/trace-files.ts';
import { paragraphsDocument } from './history-reads.ts';
import { forEachServer, split, withServer } from './server-session.ts';
import type { ResultRow, Scenario, ScenarioContext } from './types.ts';

/** The goal of issue 15, ms. */
export const SEARCH_P99_GOAL_MS = 50;
/** The indexer's interval for this scenario (Quire's default is 2000 ms), so 10,000 documents are indexed in under a minute. */
const INDEX_INTERVAL_MS = 50;
const PASSAGE_CHARS = 400;
/** Different queries of one kind, taken in turn, so no answer is one repeated query's. */
const QUERIES_PER_KIND = 16;

export type SearchStoreName = 'sqlite' | 'postgres';

/** A document's word of its own. */
const ownWord = (index: number) => `ref${index}x`;

/** Document `index`: a passage of the paper (from a word boundary), in two paragraphs, with its own word. */
function passage(paper: string, index: number): { title: string; paragraphs: string[] } {
  const start = paper.indexOf(' ', (index * 1_009) % (paper.length - 2 * PASSAGE_CHARS)) + 1;
  const words = paper.slice(start, start + PASSAGE_CHARS).replace(/\s+/g, ' ').split(' ').slice(0, -1);
  const half = Math.floor(words.length / 2);
  return { title: `Notes ${index}: ${words.slice(0, 4).join(' ')}`, paragraphs: [words.slice(0, half).join(' '), `${words.slice(half).join(' ')} ${ownWord(index)}`] };
}

/** The queries of each kind, chosen by how many documents hold their words (as the API splits words). */
function queriesFor(documents: { title: string; paragraphs: string[] }[]): Record<string, string[]> {
  const frequency = new Map<string, number>();
  for (const document of documents) {
    for (const term of new Set(searchTerms([document.title, ...document.paragraphs].join(' ')))) frequency.set(term, (frequency.get(term) ?? 0) + 1);
  }
  const words = [...frequency].filter(([term]) => term.length >= 4 && !/\d/.test(term));
  const near = (share: number, count: number) =>
    [...words].sort((a, b) => Math.abs(a[1] - share * documents.length) - Math.abs(b[1] - share * documents.length)).slice(0, count).map(([term]) => term);
  const common = [...frequency].sort((a, b) => b[1] - a[1]).slice(0, QUERIES_PER_KIND).map(([term]) => term);
  const tenth = near(0.1, 2 * QUERIES_PER_KIND);
  const step = Math.max(1, Math.floor(documents.length / QUERIES_PER_KIND));
  return {
    'most common words': common,
    'words in about 1 % of documents': near(0.01, QUERIES_PER_KIND),
    'two words, each in about 10 %': Array.from({ length: QUERIES_PER_KIND }, (_, i) => `${tenth[i]} ${tenth[tenth.length - 1 - i]}`),
    "one document's own word": Array.from({ length: QUERIES_PER_KIND }, (_, i) => ownWord((i * step) % documents.length)),
  };
}

/**
 * Waits (at most `timeoutMs`) until no autovacuum works on the database: filling 10,000 documents
 * sets one off, and a query timed beside it measures the vacuum, not the search.
 */
async function autovacuumDone(databaseUrl: string, timeoutMs: number): Promise<void> {
  const sql = new SQL(databaseUrl, { max: 1 });
  const started = performance.now();
  try {
    while (performance.now() - started < timeoutMs) {
      const [row] = await sql<{ running: number }[]>`
        SELECT count(*)::int AS running FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'autovacuum worker'`;
      if (!row || row.running === 0) return;
      await sleep(250);
    }
  } finally {
    await sql.close();
  }
}

/** Waits until the store has nothing left to index; returns how long that took. */
async function indexed(server: RunningServer, databaseUrl: string | null, timeoutMs: number): Promise<number> {
  const started = performance.now();
  const store = await openStore(loadConfig({ DATA_DIR: server.dataDir, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) }));
  try {
    while ((await store.search.stale(1)).length > 0) {
      if (performance.now() - started > timeoutMs) throw new Error(`the search index had not caught up after ${timeoutMs / 1000} s`);
      await sleep(250);
    }
    return performance.now() - started;
  } finally {
    await store.close();
  }
}

async function measureStore(context: ScenarioContext, name: SearchStoreName, server: RunningServer, databaseUrl: string | null): Promise<ResultRow[]> {
  const { documents, concurrency, durationMs } = context.plan.search;
  const paper = loadSequentialTrace(traceFile(context.plan.trace.file)).endContent;
  const sources = Array.from({ length: documents }, (_, index) => passage(paper, index));
  const createStarted = performance.now();
  await createDocuments(server.httpUrl, server.token, documents, 16, 'search', (index) => ({ title: sources[index]!.title, content: paragraphsDocument(sources[index]!.paragraphs) }));
  const createMs = performance.now() - createStarted;
  // The indexer takes 20 documents a round; on a busy machine a round may take half a second.
  const indexMs = await indexed(server, databaseUrl, Math.max(60_000, documents * 50));
  context.log(`    ${name}: ${documents} documents created in ${Math.round(createMs)} ms, indexed ${Math.round(indexMs)} ms later`);
  if (databaseUrl) await autovacuumDone(databaseUrl, 60_000);
  const kinds = Object.entries(queriesFor(sources)).map(([kind, queries]) => ({
    kind,
    queries,
    urls: queries.map((q) => `${server.httpUrl}/api/search?q=${encodeURIComponent(q)}&limit=20`),
  }));
  // Every query once, untimed: what is timed is a server that has answered a search before. The
  // first query of each kind also tells how many documents its page holds.
  const firstHits = new Map<string, number | null>();
  for (const { kind, urls } of kinds) {
    for (const [index, url] of urls.entries()) {
      const response = await fetch(url, { headers: { authorization: `Bearer ${server.token}` } });
      const hits = response.ok ? ((await response.json()) as { items: unknown[] }).items.length : null;
      if (index === 0) firstHits.set(kind, hits);
    }
  }
  const rows: ResultRow[] = [];
  // One searcher at a time (what a person waits for), then the plan's lanes at once (load).
  for (const { kind, queries, urls } of kinds) {
    for (const searchers of [1, concurrency]) {
      const lanes = split(searchers, context.pool.workers.length);
      const loads = await context.pool.all('httpLoad', (worker) => ({ urls, token: server.token, concurrency: lanes[worker.index] ?? 0, durationMs }), durationMs + 30_000);
      const latency = summarize(mergeSamples(loads.map((load) => load.latency)));
      const requests = loads.reduce((sum, load) => sum + load.requests, 0);
      context.log(`    ${name}, ${kind}, ${searchers} at once: median ${latency.median} ms, p99 ${latency.p99} ms`);
      rows.push({
        server: 'quire',
        case: `${name === 'sqlite' ? 'SQLite' : 'PostgreSQL'}: ${kind}, ${searchers === 1 ? 'one searcher' : `${searchers} searchers at once`}`,
        metrics: {
          documents,
          searchers,
          createdPerSecond: round(documents / (createMs / 1000), 0),
          indexedAfterMs: round(indexMs, 0),
          queries: queries.length,
          example: queries[0] ?? null,
          exampleHits: firstHits.get(kind) ?? null,
          requestsPerSecond: round(requests / (Math.max(...loads.map((load) => load.elapsedMs)) / 1000), 0),
          failures: loads.reduce((sum, load) => sum + load.failures, 0),
          medianMs: latency.median,
          p99Ms: latency.p99,
          goalMs: SEARCH_P99_GOAL_MS,
          goalMet: latency.p99 === null ? null : latency.p99 < SEARCH_P99_GOAL_MS,
        },
      });
    }
  }
  return rows;
}

/** Starts Quire on `name` (a throwaway PostgreSQL database for 'postgres'), fills it and times searches. */
async function measureOn(context: ScenarioContext, name: SearchStoreName): Promise<ResultRow[]> {
  const env = { SEARCH_INDEX_INTERVAL_MS: String(INDEX_INTERVAL_MS) };
  if (name === 'sqlite') return withServer(context, 'quire', (server) => measureStore(context, name, server, null), { env });
  const storage = await createClusterStorage();
  try {
    const databaseUrl = storage.env.DATABASE_URL!;
    return await withServer(context, 'quire', (server) => measureStore(context, name, server, databaseUrl), { env: { ...env, DATABASE_URL: databaseUrl } });
  } finally {
    await storage.drop();
  }
}

/** Times search on each store of the plan. */
export const searchScenario: Scenario = async (context) => {
  const { documents, stores, concurrency, durationMs } = context.plan.search;
  const rows: ResultRow[] = [];
  if (context.servers.includes('quire')) {
    for (const store of stores) rows.push(...(await forEachServer(context, ['quire'], () => measureOn(context, store))));
  }
  return {
    id: 'search',
    title: '11. Search (Quire: GET /api/search over documents the caller can read)',
    rows,
    compareMetrics: [],
    notes: [
      `${documents} documents, each a ${PASSAGE_CHARS}-character passage of the automerge paper in two paragraphs plus a word of its own, created with POST /api/documents {title, content} by the account that searches (it can read every one); timed once the index had caught up (indexedAfterMs: from the last document created to nothing left to index).`,
      `Setting changed for this scenario: SEARCH_INDEX_INTERVAL_MS=${INDEX_INTERVAL_MS} (default 2000), so the index catches up with ${documents} new documents quickly; it changes when indexing runs, not how a query is answered.`,
      'Before timing: on PostgreSQL, the wait for the autovacuum that filling the database starts; then every query once, untimed.',
      `Per kind of query: ${QUERIES_PER_KIND} different queries taken in turn, for ${durationMs / 1000} s by one closed-loop searcher (the latency a person waits for), then for ${durationMs / 1000} s by ${concurrency} at once (load: on 2 cores they share the CPU with the server, the database and the load generator), limit=20 (the first page, ranked, with snippets). Goal: p99 < ${SEARCH_P99_GOAL_MS} ms.`,
    ],
  };
};
