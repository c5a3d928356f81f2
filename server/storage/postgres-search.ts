/** The search part of the PostgreSQL `Store`: a weighted `tsvector` per document behind a GIN index. */
import type { SQL } from 'bun';
import type { DocumentRole } from '../../shared/dto.ts';
import { readableBy } from './postgres-access.ts';
import { DOCUMENT_COLUMNS, DOCUMENT_JOINS, toDocument, type DocumentRow } from './rows.ts';
import { HIT_END, HIT_START, rankingWindow, type SearchEntry, type SearchHit, type SearchQuery, type SearchStore, type StaleDocument } from './search-store.ts';

/** A `to_tsquery` text that matches every term (the last as a prefix); terms hold only letters and digits. */
export function tsQuery(terms: readonly string[]): string {
  return terms.map((term, index) => `'${term.replaceAll("'", "''")}'${index === terms.length - 1 ? ':*' : ''}`).join(' & ');
}

const HEADLINE = `StartSel=${HIT_START}, StopSel=${HIT_END}, MaxWords=30, MinWords=12`;

// ts_headline reads its text as HTML and drops anything tag-like ("<blue>"): it is given the text
// escaped, and its answer is turned back into plain text.
const ESCAPED_BODY = `replace(replace(replace(s.body, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')`;

function unescapeHeadline(headline: string): string {
  return headline.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

/** Full-text search in PostgreSQL ('simple' configuration: no stemming, any language, as FTS5's tokenizer). */
export class PostgresSearch implements SearchStore {
  constructor(private readonly sql: SQL) {}

  async stale(limit: number): Promise<StaleDocument[]> {
    // Served by the partial index documents_to_index: only what waits is read.
    const rows = await this.sql<{ id: string; title: string; updated_at: string }[]>`
      SELECT id, title, updated_at FROM documents
      WHERE deleted_at IS NULL AND (search_indexed_at IS NULL OR search_indexed_at < updated_at)
      ORDER BY updated_at, id LIMIT ${limit}`;
    return rows.map((row) => ({ id: row.id, title: row.title, updatedAt: Number(row.updated_at) }));
  }

  async index(entry: SearchEntry): Promise<void> {
    // Two instances may index one document at once: the document's row lock orders them, and the
    // entry of the later change wins.
    await this.sql`
      WITH marked AS (
        UPDATE documents SET search_indexed_at = ${entry.updatedAt}
        WHERE id = ${entry.documentId} AND deleted_at IS NULL AND (search_indexed_at IS NULL OR search_indexed_at <= ${entry.updatedAt})
        RETURNING id
      )
      INSERT INTO search_index (document_id, indexed_at, body, vector)
      SELECT id, ${entry.updatedAt}, ${entry.body},
        setweight(to_tsvector('simple', ${entry.title}), 'A') || setweight(to_tsvector('simple', ${entry.body}), 'B')
      FROM marked
      ON CONFLICT (document_id) DO UPDATE SET indexed_at = excluded.indexed_at, body = excluded.body, vector = excluded.vector
      WHERE search_index.indexed_at <= excluded.indexed_at`;
  }

  async search(query: SearchQuery): Promise<SearchHit[]> {
    if (query.terms.length === 0) return [];
    // Usually the best few are readable and live: a window of them is ranked, then filtered.
    const window = rankingWindow(query);
    const rows = await this.page(query, window);
    const complete = rows.length === query.limit || (rows.length > 0 && Number(rows[0]!.ranked) < window);
    // Too many of the best hidden from this reader (or none left): filter the whole ranking.
    const page = complete ? rows : await this.page(query, null);
    return page.map((row) => ({
      documentId: row.id,
      document: { ...toDocument(row), grant: row.grant_role },
      snippet: unescapeHeadline(row.snippet),
    }));
  }

  /**
   * One page of matches, best first, among the best `window` of all (all with null). Ranked by the
   * index alone: `ts_rank` (frequency, titles weighing 1 against 0.4, as BM25 in SQLite: no
   * proximity, and ranking every match of a common word costs little more than finding it), then
   * the newer entry. Readability and liveness are asked of the window only; headlines, the costliest
   * part, and the documents as listings show them are made for the page only.
   */
  private page(query: SearchQuery, window: number | null) {
    const sql = this.sql;
    const readable = query.reader.admin ? sql`` : sql`AND ${readableBy(sql, 'd', query.reader.userId)}`;
    return sql<(DocumentRow & { grant_role: DocumentRole | null; snippet: string; ranked: string })[]>`
      WITH q AS (SELECT to_tsquery('simple', ${tsQuery(query.terms)}) AS query),
      ranked AS (
        SELECT s.document_id, s.indexed_at, ts_rank(s.vector, q.query) AS rank
        FROM search_index s CROSS JOIN q WHERE s.vector @@ q.query
        ORDER BY rank DESC, s.indexed_at DESC, s.document_id ${window === null ? sql`` : sql`LIMIT ${window}`}
      ),
      page AS (
        SELECT r.document_id, r.rank, r.indexed_at FROM ranked r JOIN documents d ON d.id = r.document_id
        WHERE d.deleted_at IS NULL ${readable}
        ORDER BY r.rank DESC, r.indexed_at DESC, r.document_id LIMIT ${query.limit} OFFSET ${query.offset}
      )
      SELECT ${sql.unsafe(DOCUMENT_COLUMNS)}, mg.role AS grant_role, (SELECT count(*) FROM ranked) AS ranked,
        ts_headline('simple', ${sql.unsafe(ESCAPED_BODY)}, q.query, ${HEADLINE}) AS snippet
      FROM page JOIN search_index s ON s.document_id = page.document_id CROSS JOIN q
      JOIN documents d ON d.id = page.document_id ${sql.unsafe(DOCUMENT_JOINS)}
      LEFT JOIN document_grants mg ON mg.document_id = d.id AND mg.user_id = ${query.reader.userId}
      ORDER BY page.rank DESC, page.indexed_at DESC, page.document_id`;
  }
}
