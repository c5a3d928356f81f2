/** The search part of the SQLite `Store`: an FTS5 table of titles and text, ranked by BM25. */
import type { Database } from 'bun:sqlite';
import type { DocumentRole } from '../../shared/dto.ts';
import { DOCUMENT_COLUMNS, DOCUMENT_JOINS, toDocument, type DocumentRow } from './rows.ts';
import { readableBy } from './sqlite-access.ts';
import { HIT_END, HIT_START, rankingWindow, type SearchEntry, type SearchHit, type SearchQuery, type SearchStore, type StaleDocument } from './search-store.ts';

/** Title matches weigh this many times a body match. */
const TITLE_WEIGHT = 8;

/** An FTS5 query that matches every term (the last as a prefix), with no operator syntax from the user. */
export function ftsQuery(terms: readonly string[]): string {
  return terms.map((term, index) => `"${term.replaceAll('"', '""')}"${index === terms.length - 1 ? '*' : ''}`).join(' ');
}

/**
 * Matches best first, ranked by the index alone: BM25, then the newer entry (the `updatedAt` it
 * reflects). Whether the reader may read a match is asked only of the best ones, as far as the
 * page reaches, rather than of every match.
 */
const RANKED = `SELECT s.entry, s.document_id FROM search_fts JOIN search_index s ON s.entry = search_fts.rowid
  WHERE search_fts MATCH ? ORDER BY bm25(search_fts, ${TITLE_WEIGHT}, 1), s.indexed_at DESC, s.document_id`;

interface RankedRow {
  entry: number;
  document_id: string;
}

/** Full-text search in SQLite. */
export class SqliteSearch implements SearchStore {
  constructor(private readonly db: Database) {}

  async stale(limit: number): Promise<StaleDocument[]> {
    // Served by the partial index documents_to_index: only what waits is read.
    const rows = this.db
      .query(
        `SELECT id, title, updated_at FROM documents
         WHERE deleted_at IS NULL AND (search_indexed_at IS NULL OR search_indexed_at < updated_at)
         ORDER BY updated_at, id LIMIT ?`,
      )
      .all(limit) as { id: string; title: string; updated_at: number }[];
    return rows.map((row) => ({ id: row.id, title: row.title, updatedAt: row.updated_at }));
  }

  async index(entry: SearchEntry): Promise<void> {
    this.db.transaction(() => {
      // An entry of an older change never replaces a newer one.
      const marked = this.db
        .query(
          `UPDATE documents SET search_indexed_at = ?1
           WHERE id = ?2 AND deleted_at IS NULL AND (search_indexed_at IS NULL OR search_indexed_at <= ?1)`,
        )
        .run(entry.updatedAt, entry.documentId);
      if (marked.changes === 0) return;
      const row = this.db
        .query(
          `INSERT INTO search_index (document_id, indexed_at) VALUES (?, ?)
           ON CONFLICT (document_id) DO UPDATE SET indexed_at = excluded.indexed_at RETURNING entry`,
        )
        .get(entry.documentId, entry.updatedAt) as { entry: number };
      this.db.query('DELETE FROM search_fts WHERE rowid = ?').run(row.entry);
      this.db.query('INSERT INTO search_fts (rowid, title, body) VALUES (?, ?, ?)').run(row.entry, entry.title, entry.body);
    })();
  }

  async search(query: SearchQuery): Promise<SearchHit[]> {
    if (query.terms.length === 0) return [];
    const match = ftsQuery(query.terms);
    const page = this.page(match, query);
    if (page.length === 0) return [];
    // Snippets for the page only (a snippet() in the ranking query is made for every match it
    // sorts). The entries are taken as the match streams past, in rowid order: FTS5 would answer
    // "rowid IN (…)" by seeking each entry, and a seek re-reads a prefix's every word (the unary
    // plus keeps the list from it).
    const entries = page.map((row) => row.entry);
    const snippets = this.db
      .query(
        `SELECT rowid AS entry, snippet(search_fts, 1, ?, ?, '…', 24) AS snippet FROM search_fts
         WHERE search_fts MATCH ? AND rowid BETWEEN ? AND ? AND +rowid IN (SELECT value FROM json_each(?))`,
      )
      .all(HIT_START, HIT_END, match, Math.min(...entries), Math.max(...entries), JSON.stringify(entries)) as { entry: number; snippet: string }[];
    const documents = this.db
      .query(
        `SELECT ${DOCUMENT_COLUMNS}, mg.role AS grant_role FROM documents d ${DOCUMENT_JOINS}
         LEFT JOIN document_grants mg ON mg.document_id = d.id AND mg.user_id = ?
         WHERE d.id IN (SELECT value FROM json_each(?))`,
      )
      .all(query.reader.userId, JSON.stringify(page.map((row) => row.document_id))) as (DocumentRow & { grant_role: DocumentRole | null })[];
    const byEntry = new Map(snippets.map((row) => [row.entry, row.snippet]));
    const byId = new Map(documents.map((row) => [row.id, { ...toDocument(row), grant: row.grant_role }]));
    return page.flatMap((row) => {
      const document = byId.get(row.document_id);
      return document ? [{ documentId: row.document_id, document, snippet: byEntry.get(row.entry) ?? '' }] : [];
    });
  }

  /** The page's matches, best first, among those the reader may read. */
  private page(match: string, query: SearchQuery): RankedRow[] {
    const readable = query.reader.admin ? null : readableBy('d', query.reader.userId);
    const visibleSql = `d.deleted_at IS NULL ${readable ? `AND ${readable.sql}` : ''}`;
    const params = readable?.params ?? [];
    const take = (rows: Iterable<RankedRow>, visible: (row: RankedRow) => boolean): RankedRow[] => {
      const page: RankedRow[] = [];
      let skipped = 0;
      for (const row of rows) {
        if (!visible(row)) continue;
        if (skipped < query.offset) skipped++;
        else if (page.push(row) === query.limit) break;
      }
      return page;
    };
    // Usually the best few are readable and live: a window of them is sorted (top-N, not every
    // match) and asked about at once.
    const window = rankingWindow(query);
    const best = this.db.query(`${RANKED} LIMIT ?`).all(match, window) as RankedRow[];
    const ids = JSON.stringify(best.map((row) => row.document_id));
    const shown = this.db.query(`SELECT d.id FROM documents d WHERE d.id IN (SELECT value FROM json_each(?)) AND ${visibleSql}`).all(ids, ...params) as { id: string }[];
    const shownIds = new Set(shown.map((row) => row.id));
    const page = take(best, (row) => shownIds.has(row.document_id));
    if (page.length === query.limit || best.length < window) return page;
    // Too many of the best hidden from this reader: walk the whole ranking until the page is full.
    const visible = this.db.query(`SELECT 1 FROM documents d WHERE d.id = ? AND ${visibleSql}`);
    return take(this.db.query(RANKED).iterate(match) as Iterable<RankedRow>, (row) => visible.get(row.document_id, ...params) !== null);
  }
}
