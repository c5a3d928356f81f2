/** The history part of the PostgreSQL `Store`: revisions and the changes each holds. */
import type { SQL } from 'bun';
import { revisionFromRow, REVISION_COLUMNS, type RevisionRow } from './rows.ts';
import type { HistoryStore, NewRevision, RevisionRecord } from './store.ts';

// Bun.SQL hands BYTEA back as a Buffer: callers expect plain Uint8Arrays (same bytes, no copy).
const bytes = (data: Uint8Array) => new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

/** Revisions in PostgreSQL. */
export class PostgresHistory implements HistoryStore {
  constructor(private readonly sql: SQL) {}

  async append(revision: NewRevision): Promise<RevisionRecord | null> {
    const rows = await this.sql<RevisionRow[]>`
      INSERT INTO revisions (document_id, kind, label, created_at, authors, inserted, deleted, words_inserted, words_deleted, state_vector, changes)
      SELECT ${revision.documentId}, ${revision.kind}, ${revision.label}, ${revision.createdAt}, ${JSON.stringify(revision.authors)},
        ${revision.inserted}, ${revision.deleted}, ${revision.wordsInserted}, ${revision.wordsDeleted}, ${revision.stateVector}, ${revision.changes}
      WHERE EXISTS (SELECT 1 FROM documents WHERE id = ${revision.documentId})
      RETURNING ${this.sql.unsafe(REVISION_COLUMNS)}`;
    return rows[0] ? this.record(rows[0]) : null;
  }

  async list(documentId: string, before: number | null, limit: number): Promise<RevisionRecord[]> {
    const rows = await this.sql<RevisionRow[]>`SELECT ${this.sql.unsafe(REVISION_COLUMNS)} FROM revisions
      WHERE document_id = ${documentId} AND id < ${before ?? Number.MAX_SAFE_INTEGER} ORDER BY id DESC LIMIT ${limit}`;
    return rows.map((row) => this.record(row));
  }

  async get(documentId: string, id: number): Promise<RevisionRecord | null> {
    const [row] = await this.sql<RevisionRow[]>`SELECT ${this.sql.unsafe(REVISION_COLUMNS)} FROM revisions WHERE document_id = ${documentId} AND id = ${id}`;
    return row ? this.record(row) : null;
  }

  async changesUpTo(documentId: string, upTo: number): Promise<Uint8Array[]> {
    const rows = await this.sql<{ changes: Uint8Array }[]>`SELECT changes FROM revisions WHERE document_id = ${documentId} AND id <= ${upTo} ORDER BY id`;
    return rows.map((row) => bytes(row.changes));
  }

  async latestStateVector(documentId: string): Promise<Uint8Array | null> {
    const [row] = await this.sql<{ state_vector: Uint8Array }[]>`SELECT state_vector FROM revisions WHERE document_id = ${documentId} ORDER BY id DESC LIMIT 1`;
    return row ? bytes(row.state_vector) : null;
  }

  async editsBefore(before: number, limit: number): Promise<{ id: number; documentId: string; createdAt: number }[]> {
    const rows = await this.sql<{ id: string; document_id: string; created_at: string }[]>`SELECT id, document_id, created_at FROM revisions
      WHERE kind = 'edit' AND created_at < ${before} ORDER BY document_id, id LIMIT ${limit}`;
    return rows.map((row) => ({ id: Number(row.id), documentId: row.document_id, createdAt: Number(row.created_at) }));
  }

  async nextId(documentId: string, id: number): Promise<number | null> {
    const [row] = await this.sql<{ id: string }[]>`SELECT id FROM revisions WHERE document_id = ${documentId} AND id > ${id} ORDER BY id LIMIT 1`;
    return row ? Number(row.id) : null;
  }

  async merge(documentId: string, removedIds: readonly number[], intoId: number, changes: Uint8Array): Promise<void> {
    await this.sql.begin(async (tx) => {
      await tx`DELETE FROM revisions WHERE document_id = ${documentId} AND id = ANY(${tx.array([...removedIds], 'INT8')})`;
      await tx`UPDATE revisions SET changes = ${changes} WHERE document_id = ${documentId} AND id = ${intoId}`;
    });
  }

  async changesOf(documentId: string, ids: readonly number[]): Promise<Map<number, Uint8Array>> {
    const rows = await this.sql<{ id: string; changes: Uint8Array }[]>`SELECT id, changes FROM revisions
      WHERE document_id = ${documentId} AND id = ANY(${this.sql.array([...ids], 'INT8')})`;
    return new Map(rows.map((row) => [Number(row.id), bytes(row.changes)]));
  }

  private record(row: RevisionRow): RevisionRecord {
    const record = revisionFromRow(row);
    return { ...record, stateVector: bytes(record.stateVector) };
  }
}
