/** The attachments part of the `Store`: images uploaded into documents, bytes and metadata together. */

/** An attachment's metadata. Times are epoch milliseconds. */
export interface AttachmentRecord {
  id: string;
  documentId: string;
  /** The sniffed media type (image/png, image/jpeg, image/gif, image/webp). */
  contentType: string;
  size: number;
  createdBy: string;
  createdAt: number;
}

/**
 * Stored with the document they belong to (SQLite: in its file in `DATA_DIR`; PostgreSQL: in
 * the shared database, so every instance serves every image); removed with it when it leaves
 * the trash for good (the rows cascade with the document's).
 */
export interface AttachmentStore {
  /** Stores an attachment of a live document; false (nothing stored) when there is none. */
  create(record: AttachmentRecord, data: Uint8Array): Promise<boolean>;
  /** The attachment with its bytes, whatever state its document is in (callers ask the access policy). */
  get(id: string): Promise<{ record: AttachmentRecord; data: Uint8Array } | null>;
}
