/** The attachments part of the SQLite `Store`: bytes in the database file, so backups carry them. */
import type { Database } from 'bun:sqlite';
import type { AttachmentRecord, AttachmentStore } from './attachment-store.ts';

interface AttachmentRow {
  id: string;
  document_id: string;
  content_type: string;
  size: number;
  created_by: string;
  created_at: number;
  data: Uint8Array;
}

/** Turns a stored row (either store's) into the record and its bytes. */
export function attachmentFromRow(row: Omit<AttachmentRow, 'size' | 'created_at'> & { size: number | string; created_at: number | string }) {
  const record: AttachmentRecord = {
    id: row.id,
    documentId: row.document_id,
    contentType: row.content_type,
    size: Number(row.size),
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
  };
  const data = new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength);
  return { record, data };
}

/** Attachments in SQLite. */
export class SqliteAttachments implements AttachmentStore {
  constructor(private readonly db: Database) {}

  async create(record: AttachmentRecord, data: Uint8Array): Promise<boolean> {
    const inserted = this.db
      .query(
        `INSERT INTO attachments (id, document_id, content_type, size, created_by, created_at, data)
         SELECT ?, id, ?, ?, ?, ?, ? FROM documents WHERE id = ? AND deleted_at IS NULL`,
      )
      .run(record.id, record.contentType, record.size, record.createdBy, record.createdAt, data, record.documentId);
    return inserted.changes > 0;
  }

  async get(id: string): Promise<{ record: AttachmentRecord; data: Uint8Array } | null> {
    const row = this.db.query('SELECT * FROM attachments WHERE id = ?').get(id) as AttachmentRow | null;
    return row ? attachmentFromRow(row) : null;
  }
}
