/** Document metadata, creation with initial content, live rendering and deletion. */
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import type { ContentFormat, DocumentDetail, DocumentSummary, Page, User } from '../../../shared/dto.ts';
import { badRequest, notFound, preconditionFailed, unprocessable } from '../../http/problem.ts';
import type { DocumentCursor, DocumentRecord, Store } from '../../storage/store.ts';
import type { RoomRegistry } from '../../sync/rooms.ts';
import { InvalidContentError, contentToUpdate, renderContent } from './content.ts';
import { DocumentTooComplexError, type StructureLimits } from './structure.ts';

/** Told about every metadata change (the activity feed listens). */
export interface DocumentListener {
  created(document: DocumentRecord, actor: User): void;
  renamed(document: DocumentRecord, from: string, actor: User): void;
  deleted(document: DocumentRecord, actor: User): void;
}

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const DEFAULT_TITLE = 'Untitled';

/** Whether a string can be a document id (so junk never reaches storage). */
export function isDocumentId(id: string): boolean {
  return ID_PATTERN.test(id);
}

function toSummary(record: DocumentRecord): DocumentSummary {
  return {
    id: record.id,
    title: record.title,
    createdAt: new Date(record.createdAt).toISOString(),
    updatedAt: new Date(record.updatedAt).toISOString(),
    createdBy: record.createdBy,
    updatedBy: record.updatedBy,
  };
}

function encodeCursor(record: DocumentRecord): string {
  return Buffer.from(JSON.stringify([record.updatedAt, record.id])).toString('base64url');
}

function decodeCursor(cursor: string): DocumentCursor {
  try {
    const [updatedAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (Number.isSafeInteger(updatedAt) && typeof id === 'string' && isDocumentId(id)) return { updatedAt: updatedAt as number, id };
  } catch {
    // fall through to the error below
  }
  throw badRequest('cursor is not one this API returned', ['cursor']);
}

/** The documents feature, independent of HTTP. */
export class DocumentService {
  constructor(
    private readonly store: Store,
    private readonly rooms: RoomRegistry,
    private readonly listeners: readonly DocumentListener[],
    private readonly structureLimits: StructureLimits,
  ) {}

  async list(limit: number, cursor: string | undefined, q: string | undefined): Promise<Page<DocumentSummary>> {
    const records = await this.store.listDocuments({
      limit: limit + 1,
      after: cursor ? decodeCursor(cursor) : null,
      titleContains: q?.trim() || null,
    });
    const page = records.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toSummary), nextCursor: records.length > limit && last ? encodeCursor(last) : null };
  }

  async create(actor: User, title: string | undefined, content: unknown): Promise<DocumentDetail> {
    let initialState: Uint8Array | null = null;
    if (content !== undefined) {
      try {
        initialState = contentToUpdate(content);
      } catch (error) {
        if (error instanceof InvalidContentError) throw unprocessable(`content: ${error.message}`, ['content']);
        throw error;
      }
    }
    const record = await this.store.createDocument({
      id: randomUUID(),
      title: title?.trim() || DEFAULT_TITLE,
      createdBy: { id: actor.id, name: actor.name },
      createdAt: Date.now(),
      initialState,
    });
    for (const listener of this.listeners) listener.created(record, actor);
    return this.detail(record);
  }

  async get(id: string): Promise<DocumentDetail> {
    return this.detail(await this.require(id));
  }

  async rename(id: string, title: string, actor: User, ifMatch: number | null): Promise<DocumentDetail> {
    const trimmed = title.trim();
    if (!trimmed) throw unprocessable('title must not be blank', ['title']);
    const result = await this.store.renameDocument(id, trimmed, { id: actor.id, name: actor.name }, Date.now(), ifMatch);
    if (result.status === 'not-found') throw notFound(`no document with id ${id}`);
    if (result.status === 'stale') {
      throw preconditionFailed(`document is at version ${result.document.version}, not ${ifMatch}: reload and retry`);
    }
    if (result.previousTitle !== trimmed) {
      for (const listener of this.listeners) listener.renamed(result.document, result.previousTitle, actor);
    }
    return this.detail(result.document);
  }

  async delete(id: string, actor: User): Promise<void> {
    const record = await this.require(id);
    this.rooms.closeDocument(id);
    if (!(await this.store.deleteDocument(id))) throw notFound(`no document with id ${id}`);
    for (const listener of this.listeners) listener.deleted(record, actor);
  }

  /** Renders the live content: the open room's state while people edit, else the stored one. */
  async content(id: string, format: ContentFormat): Promise<{ body: string; contentType: string }> {
    await this.require(id);
    const open = this.rooms.peek(id);
    const doc = open?.doc ?? new Y.Doc();
    try {
      if (!open) for (const row of await this.store.loadUpdates(id)) Y.applyUpdate(doc, row.data);
      return renderContent(doc, format, this.structureLimits);
    } catch (error) {
      if (error instanceof DocumentTooComplexError) throw unprocessable(`cannot render this document: ${error.message}`);
      throw error;
    } finally {
      if (!open) doc.destroy();
    }
  }

  private async require(id: string): Promise<DocumentRecord> {
    const record = isDocumentId(id) ? await this.store.getDocument(id) : null;
    if (!record) throw notFound(`no document with id ${id}`);
    return record;
  }

  private async detail(record: DocumentRecord): Promise<DocumentDetail> {
    const sizeBytes = await this.store.storedBytes(record.id);
    return { ...toSummary(record), version: record.version, sizeBytes };
  }
}
