/** Document metadata, creation with initial content, live rendering and deletion. */
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import type { ContentFormat, DocumentDetail, DocumentSummary, Page, User } from '../../../shared/dto.ts';
import { DOCUMENT_FRAGMENT } from '../../../shared/protocol.ts';
import { HttpError, badRequest, notFound, preconditionFailed, tooManyRequests, unprocessable } from '../../http/problem.ts';
import type { DocumentCursor, DocumentRecord, Store } from '../../storage/store.ts';
import type { RoomRegistry } from '../../sync/rooms.ts';
import { CONTENT_TYPES, InvalidContentError, contentToUpdate } from './content.ts';
import { RenderRefusedError, RenderTimeoutError, type RenderPool } from './render-pool.ts';
import { DocumentTooComplexError, checkStructure, type StructureLimits } from './structure.ts';

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

/** The HTTP error for a render that failed or was refused; anything else passes through. */
function renderProblem(error: unknown): unknown {
  if (error instanceof DocumentTooComplexError) return unprocessable(`cannot render this document: ${error.message}`);
  if (error instanceof RenderTimeoutError) return unprocessable(`this document is too complex to render within limits: ${error.message}`);
  if (!(error instanceof RenderRefusedError)) return error;
  if (error.reason === 'owner') return tooManyRequests(error.retryAfterSeconds, `Too many renders at once: ${error.message}; retry in ${error.retryAfterSeconds} s.`);
  const headers = { 'retry-after': String(error.retryAfterSeconds) };
  return new HttpError(503, 'Service Unavailable', `Cannot render now: ${error.message}; retry in ${error.retryAfterSeconds} s.`, { headers });
}

/** The documents feature, independent of HTTP. */
export class DocumentService {
  constructor(
    private readonly store: Store,
    private readonly rooms: RoomRegistry,
    private readonly listeners: readonly DocumentListener[],
    private readonly structureLimits: StructureLimits,
    private readonly renderer: RenderPool,
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
        initialState = contentToUpdate(content, this.structureLimits);
      } catch (error) {
        if (error instanceof InvalidContentError || error instanceof DocumentTooComplexError) {
          throw unprocessable(`content: ${error.message}`, ['content']);
        }
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

  /**
   * Renders the live content, on a render worker, for `requesterId`'s account: the open room's
   * state while people edit (checked against the structure limits here, where it is in memory),
   * else the stored updates as they are (the worker applies and checks them).
   */
  async content(id: string, format: ContentFormat, requesterId: string): Promise<{ body: string; contentType: string }> {
    await this.require(id);
    const source = async () => {
      const open = this.rooms.peek(id);
      if (!open) return (await this.store.loadUpdates(id)).map((row) => row.data);
      checkStructure(open.doc.getXmlFragment(DOCUMENT_FRAGMENT), this.structureLimits);
      return [Y.encodeStateAsUpdate(open.doc)];
    };
    try {
      return { body: await this.renderer.render(requesterId, format, source), contentType: CONTENT_TYPES[format] };
    } catch (error) {
      throw renderProblem(error);
    }
  }

  /** Stops rendering: renders running or waiting are refused and the render workers end (server stop). */
  close(): void {
    this.renderer.close();
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
