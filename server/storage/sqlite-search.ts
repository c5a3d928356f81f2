/** The search part of the SQLite `Store`: an FTS5 table of titles and text, ranked by BM25. */
import type { Database } from 'bun:sqlite';
import { readableBy } from './sqlite-access.ts';
import { HIT_END, HIT_START, type SearchEntry, type SearchHit, type SearchQuery, type SearchStore, type StaleDocument } from './search-store.ts';

/** Title matches weigh this many times a body match. */
const TITLE_WEIGHT = 8;

/** An FTS5 query that matches every term (the last as a prefix), with no operator syntax from the user. */
export function ftsQuery(terms: readonly string[]): string {
  return terms.map((term, index) => `"${term.replaceAll('"', '""')}"${index === terms.length - 1 ? '*' : ''}`).join(' ');
}

/** Full-text search in SQLite. */
export class SqliteSearch implements SearchStore {
  constructor(private readonly db: Database) {}

  async stale(limit: number): Promise<StaleDocument[]> {
    const rows = this.db
      .query(
        `SELECT d.id, d.title, d.updated_at FROM documents d LEFT JOIN search_index s ON s.document_id = d.id
         WHERE d.deleted_at IS NULL AND (s.indexed_at IS NULL OR s.indexed_at < d.updated_at)
         ORDER BY d.updated_at, d.id LIMIT ?`,
      )
      .all(limit) as { id: string; title: string; updated_at: number }[];
    return rows.map((row) => ({ id: row.id, title: row.title, updatedAt: row.updated_at }));
  }

  async index(entry: SearchEntry): Promise<void> {
    this.db.transaction(() => {
      const row = this.db
        .query(
          `INSERT INTO search_index (document_id, indexed_at) SELECT id, ? FROM documents WHERE id = ? AND deleted_at IS NULL
           ON CONFLICT (document_id) DO UPDATE SET indexed_at = excluded.indexed_at WHERE excluded.indexed_at >= indexed_at
           RETURNING entry`,
        )
        .get(entry.updatedAt, entry.documentId) as { entry: number } | null;
      if (!row) return;
      this.db.query('DELETE FROM search_fts WHERE rowid = ?').run(row.entry);
      this.db.query('INSERT INTO search_fts (rowid, title, body) VALUES (?, ?, ?)').run(row.entry, entry.title, entry.body);
    })();
  }

  async search(query: SearchQuery): Promise<SearchHit[]> {
    if (query.terms.length === 0) return [];
    const readable = query.reader.admin ? null : readableBy('d', query.reader.userId);
    const rows = this.db
      .query(
        `SELECT s.document_id, snippet(search_fts, 1, ?, ?, '…', 24) AS snippet
         FROM search_fts JOIN search_index s ON s.entry = search_fts.rowid JOIN documents d ON d.id = s.document_id
         WHERE search_fts MATCH ? AND d.deleted_at IS NULL ${readable ? `AND ${readable.sql}` : ''}
         ORDER BY bm25(search_fts, ${TITLE_WEIGHT}, 1), d.updated_at DESC, d.id LIMIT ? OFFSET ?`,
      )
      .all(HIT_START, HIT_END, ftsQuery(query.terms), ...(readable?.params ?? []), query.limit, query.offset) as {
      document_id: string;
      snippet: string;
    }[];
    return rows.map((row) => ({ documentId: row.document_id, snippet: row.snippet }));
  }
}
