/** The attachments part of the PostgreSQL `Store`: bytes in the shared database, so every instance serves every image. */
import type { SQL } from 'bun';
import type { AttachmentRecord, AttachmentStore } from './attachment-store.ts';
import { attachmentFromRow } from './sqlite-attachments.ts';

/** Attachments in PostgreSQL. */
export class PostgresAttachments implements AttachmentStore {
  constructor(private readonly sql: SQL) {}

  async create(record: AttachmentRecord, data: Uint8Array): Promise<boolean> {
    const inserted = await this.sql`
      INSERT INTO attachments (id, document_id, content_type, size, created_by, created_at, data)
      SELECT ${record.id}, id, ${record.contentType}, ${record.size}, ${record.createdBy}, ${record.createdAt}, ${data}
      FROM documents WHERE id = ${record.documentId} AND deleted_at IS NULL`;
    return inserted.affectedRows > 0;
  }

  async get(id: string): Promise<{ record: AttachmentRecord; data: Uint8Array } | null> {
    const [row] = await this.sql`SELECT * FROM attachments WHERE id = ${id}`;
    return row ? attachmentFromRow(row) : null;
  }
}
