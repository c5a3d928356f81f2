/** The history part of the SQLite `Store`: revisions and the changes each holds. */
import type { Database } from 'bun:sqlite';
import { revisionFromRow, REVISION_COLUMNS, type RevisionRow } from './rows.ts';
import type { HistoryStore, NewRevision, RevisionRecord } from './store.ts';

/** Revisions in SQLite. */
export class SqliteHistory implements HistoryStore {
  constructor(private readonly db: Database) {}

  async append(revision: NewRevision): Promise<RevisionRecord | null> {
    // One statement: the document must exist, and the stored row comes back without a second read.
    const row = this.db
      .query(
        `INSERT INTO revisions (document_id, kind, label, created_at, authors, inserted, deleted, words_inserted, words_deleted, state_vector, changes)
         SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM documents WHERE id = ?1)
         RETURNING ${REVISION_COLUMNS}`,
      )
      .get(
        revision.documentId,
        revision.kind,
        revision.label,
        revision.createdAt,
        JSON.stringify(revision.authors),
        revision.inserted,
        revision.deleted,
        revision.wordsInserted,
        revision.wordsDeleted,
        revision.stateVector,
        revision.changes,
      ) as RevisionRow | null;
    return row ? revisionFromRow(row) : null;
  }

  async list(documentId: string, before: number | null, limit: number): Promise<RevisionRecord[]> {
    const rows = this.db
      .query(`SELECT ${REVISION_COLUMNS} FROM revisions WHERE document_id = ? AND id < ? ORDER BY id DESC LIMIT ?`)
      .all(documentId, before ?? Number.MAX_SAFE_INTEGER, limit) as RevisionRow[];
    return rows.map(revisionFromRow);
  }

  async get(documentId: string, id: number): Promise<RevisionRecord | null> {
    const row = this.db.query(`SELECT ${REVISION_COLUMNS} FROM revisions WHERE document_id = ? AND id = ?`).get(documentId, id) as RevisionRow | null;
    return row ? revisionFromRow(row) : null;
  }

  async changesUpTo(documentId: string, upTo: number): Promise<Uint8Array[]> {
    const rows = this.db.query('SELECT changes FROM revisions WHERE document_id = ? AND id <= ? ORDER BY id').all(documentId, upTo) as { changes: Uint8Array }[];
    return rows.map((row) => row.changes);
  }

  async latestStateVector(documentId: string): Promise<Uint8Array | null> {
    const row = this.db.query('SELECT state_vector FROM revisions WHERE document_id = ? ORDER BY id DESC LIMIT 1').get(documentId) as { state_vector: Uint8Array } | null;
    return row?.state_vector ?? null;
  }

  async editsBefore(before: number, limit: number): Promise<{ id: number; documentId: string; createdAt: number }[]> {
    const rows = this.db
      .query("SELECT id, document_id, created_at FROM revisions WHERE kind = 'edit' AND created_at < ? ORDER BY document_id, id LIMIT ?")
      .all(before, limit) as { id: number; document_id: string; created_at: number }[];
    return rows.map((row) => ({ id: row.id, documentId: row.document_id, createdAt: row.created_at }));
  }

  async nextId(documentId: string, id: number): Promise<number | null> {
    const row = this.db.query('SELECT id FROM revisions WHERE document_id = ? AND id > ? ORDER BY id LIMIT 1').get(documentId, id) as { id: number } | null;
    return row?.id ?? null;
  }

  async merge(documentId: string, removedIds: readonly number[], intoId: number, changes: Uint8Array): Promise<void> {
    const remove = this.db.query('DELETE FROM revisions WHERE document_id = ? AND id = ?');
    this.db.transaction(() => {
      for (const id of removedIds) remove.run(documentId, id);
      this.db.query('UPDATE revisions SET changes = ? WHERE document_id = ? AND id = ?').run(changes, documentId, intoId);
    })();
  }

  async changesOf(documentId: string, ids: readonly number[]): Promise<Map<number, Uint8Array>> {
    const rows = this.db
      .query('SELECT id, changes FROM revisions WHERE document_id = ? AND id IN (SELECT value FROM json_each(?))')
      .all(documentId, JSON.stringify(ids)) as { id: number; changes: Uint8Array }[];
    return new Map(rows.map((row) => [row.id, row.changes]));
  }
}
