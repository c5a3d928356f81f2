/** The search part of the PostgreSQL `Store`: a weighted `tsvector` per document behind a GIN index. */
import type { SQL } from 'bun';
import { readableBy } from './postgres-access.ts';
import { HIT_END, HIT_START, type SearchEntry, type SearchHit, type SearchQuery, type SearchStore, type StaleDocument } from './search-store.ts';

/** A `to_tsquery` text that matches every term (the last as a prefix); terms hold only letters and digits. */
export function tsQuery(terms: readonly string[]): string {
  return terms.map((term, index) => `'${term.replaceAll("'", "''")}'${index === terms.length - 1 ? ':*' : ''}`).join(' & ');
}

const HEADLINE = `StartSel=${HIT_START}, StopSel=${HIT_END}, MaxWords=30, MinWords=12, MaxFragments=1`;

// ts_headline reads its text as HTML and drops anything tag-like ("<blue>"): it is given the text
// escaped, and its answer is turned back into plain text.
const ESCAPED_BODY = `replace(replace(replace(page.body, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')`;

function unescapeHeadline(headline: string): string {
  return headline.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

/** Full-text search in PostgreSQL ('simple' configuration: no stemming, any language, as FTS5's tokenizer). */
export class PostgresSearch implements SearchStore {
  constructor(private readonly sql: SQL) {}

  async stale(limit: number): Promise<StaleDocument[]> {
    const rows = await this.sql<{ id: string; title: string; updated_at: string }[]>`
      SELECT d.id, d.title, d.updated_at FROM documents d LEFT JOIN search_index s ON s.document_id = d.id
      WHERE d.deleted_at IS NULL AND (s.indexed_at IS NULL OR s.indexed_at < d.updated_at)
      ORDER BY d.updated_at, d.id LIMIT ${limit}`;
    return rows.map((row) => ({ id: row.id, title: row.title, updatedAt: Number(row.updated_at) }));
  }

  async index(entry: SearchEntry): Promise<void> {
    // Two instances may index one document at once: the entry of the later change wins.
    await this.sql`
      INSERT INTO search_index (document_id, indexed_at, body, vector)
      SELECT id, ${entry.updatedAt}, ${entry.body},
        setweight(to_tsvector('simple', ${entry.title}), 'A') || setweight(to_tsvector('simple', ${entry.body}), 'B')
      FROM documents WHERE id = ${entry.documentId} AND deleted_at IS NULL
      ON CONFLICT (document_id) DO UPDATE SET indexed_at = excluded.indexed_at, body = excluded.body, vector = excluded.vector
      WHERE search_index.indexed_at <= excluded.indexed_at`;
  }

  async search(query: SearchQuery): Promise<SearchHit[]> {
    if (query.terms.length === 0) return [];
    const sql = this.sql;
    const readable = query.reader.admin ? sql`` : sql`AND ${readableBy(sql, 'd', query.reader.userId)}`;
    // Headlines are costly: only for the page, after ranking.
    const rows = await sql<{ document_id: string; snippet: string }[]>`
      WITH q AS (SELECT to_tsquery('simple', ${tsQuery(query.terms)}) AS query),
      page AS (
        SELECT s.document_id, s.body, ts_rank_cd(s.vector, q.query) AS rank, d.updated_at
        FROM search_index s CROSS JOIN q JOIN documents d ON d.id = s.document_id
        WHERE s.vector @@ q.query AND d.deleted_at IS NULL ${readable}
        ORDER BY rank DESC, d.updated_at DESC, d.id LIMIT ${query.limit} OFFSET ${query.offset}
      )
      SELECT page.document_id, ts_headline('simple', ${sql.unsafe(ESCAPED_BODY)}, q.query, ${HEADLINE}) AS snippet
      FROM page CROSS JOIN q ORDER BY page.rank DESC, page.updated_at DESC, page.document_id`;
    return rows.map((row) => ({ documentId: row.document_id, snippet: unescapeHeadline(row.snippet) }));
  }
}
