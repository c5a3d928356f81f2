/** Document metadata, creation with initial content, live rendering and deletion. */
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import type { ContentFormat, DocumentDetail, DocumentFilter, DocumentRole, DocumentSummary, GeneralAccess, Page, User, UserRef } from '../../../shared/dto.ts';
import { DOCUMENT_FRAGMENT } from '../../../shared/protocol.ts';
import { badRequest, notFound, preconditionFailed, unprocessable } from '../../http/problem.ts';
import { callerKey, type Caller } from '../../http/auth.ts';
import { decodeKeyset, encodeKeyset } from '../../http/keyset-cursor.ts';
import { roleOn } from '../../policy/document-access.ts';
import type { DocumentCursor, DocumentRecord, ListedDocument, Store } from '../../storage/store.ts';
import type { RoomRegistry } from '../../sync/rooms.ts';
import { newLinkToken, type AccessService } from '../access/service.ts';
import { isDocumentId } from './ids.ts';
import { documentContent } from '../../lazy-module.ts';
import { CONTENT_TYPES, InvalidContentError } from './content-types.ts';
import { countWords } from '../../../shared/words.ts';
import type { RenderPool } from './render-pool.ts';
import { renderProblem } from './render-problem.ts';
import { DocumentTooComplexError, checkStructure, type StructureLimits } from './structure.ts';

/** Told about every metadata change (the activity feed listens). */
export interface DocumentListener {
  created(document: DocumentRecord, actor: User): void;
  renamed(document: DocumentRecord, from: string, actor: User): void;
  deleted(document: DocumentRecord, actor: User): void;
}

export const DEFAULT_TITLE = 'Untitled';

/** A document as listings show it, with the caller's role. */
export function toSummary(record: DocumentRecord, role: DocumentRole): DocumentSummary {
  return {
    id: record.id,
    title: record.title,
    createdAt: new Date(record.createdAt).toISOString(),
    updatedAt: new Date(record.updatedAt).toISOString(),
    createdBy: record.createdBy,
    updatedBy: record.updatedBy,
    role,
  };
}

/** The role a listed document gives its reader: the listing carries the reader's own grant. */
export function listedRole(record: ListedDocument, user: User): DocumentRole {
  const grants = new Map(record.grant ? [[user.id, record.grant]] : []);
  const rules = { ownerId: record.createdBy.id, general: record.general, grants, linkToken: null };
  // Listings hold only readable documents, so a role is there; viewer is the floor.
  return roleOn(rules, { userId: user.id, admin: user.role === 'admin', shareToken: null }) ?? 'viewer';
}

function listCursor(cursor: string): DocumentCursor {
  const { time, id } = decodeKeyset(cursor);
  return { updatedAt: time, id };
}

/** Records a new document's initial content as its first revision (history). */
export interface InitialRevisions {
  recordInitial(documentId: string, actor: UserRef, state: Uint8Array, counts: { inserted: number; deleted: number; wordsInserted: number; wordsDeleted: number }): Promise<unknown>;
}

/** The documents feature, independent of HTTP. */
export class DocumentService {
  /** Set once history exists: initial content becomes the first revision. */
  history: InitialRevisions | null = null;

  constructor(
    private readonly store: Store,
    private readonly rooms: RoomRegistry,
    private readonly listeners: readonly DocumentListener[],
    private readonly structureLimits: StructureLimits,
    private readonly renderer: RenderPool,
    private readonly access: AccessService,
    /** General access of new documents (`DEFAULT_ACCESS`). */
    private readonly defaultAccess: GeneralAccess,
  ) {}

  /** The documents `user` may read, newest first; `filter` keeps those it owns or that were shared with it. */
  async list(user: User, limit: number, cursor: string | undefined, q: string | undefined, filter: DocumentFilter | undefined): Promise<Page<DocumentSummary>> {
    const records = await this.store.listDocuments({
      limit: limit + 1,
      after: cursor ? listCursor(cursor) : null,
      titleContains: q?.trim() || null,
      reader: { userId: user.id, admin: user.role === 'admin' },
      filter: filter ?? null,
    });
    const page = records.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((record) => toSummary(record, listedRole(record, user))),
      nextCursor: records.length > limit && last ? encodeKeyset(last.updatedAt, last.id) : null,
    };
  }

  /** Creates a document owned by `actor`, with `DEFAULT_ACCESS` and a secret link ready to share. */
  async create(actor: User, title: string | undefined, content: unknown): Promise<DocumentDetail> {
    let initialState: Uint8Array | null = null;
    if (content !== undefined) {
      try {
        initialState = documentContent().contentToUpdate(content, this.structureLimits);
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
      general: this.defaultAccess,
    });
    await this.store.access.setLinkToken(record.id, newLinkToken());
    if (initialState && this.history) {
      const text = documentContent().renderContent(docFromUpdate(initialState), 'text', this.structureLimits);
      await this.history.recordInitial(record.id, record.createdBy, initialState, { inserted: text.replace(/\n/g, '').length, deleted: 0, wordsInserted: countWords(text), wordsDeleted: 0 });
    }
    for (const listener of this.listeners) listener.created(record, actor);
    return this.detail(record, 'owner');
  }

  async get(id: string, caller: Caller): Promise<DocumentDetail> {
    const { document, role } = await this.access.authorize(id, caller, 'read');
    return this.detail(document, role);
  }

  /** Renames (editors); with `ifMatch`, only if the document is still at that version. */
  async rename(id: string, title: string, caller: Caller, actor: User, ifMatch: number | null): Promise<DocumentDetail> {
    const { role } = await this.access.authorize(id, caller, 'edit');
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
    return this.detail(result.document, role);
  }

  /** Deletes (owners); its open connections close with 4404. */
  async delete(id: string, caller: Caller, actor: User): Promise<void> {
    const { document: record } = await this.access.authorize(id, caller, 'delete');
    this.rooms.closeDocument(id);
    if (!(await this.store.deleteDocument(id))) throw notFound(`no document with id ${id}`);
    for (const listener of this.listeners) listener.deleted(record, actor);
  }

  /**
   * Renders the live content (readers), on a render worker, counted against `requesterId` (an account, or a link): the open room's
   * state while people edit (checked against the structure limits here, where it is in memory),
   * else the stored updates as they are (the worker applies and checks them).
   */
  async content(id: string, format: ContentFormat, caller: Caller): Promise<{ body: string; contentType: string }> {
    await this.access.authorize(id, caller, 'read');
    const requesterId = callerKey(caller);
    const source = async () => {
      // A room that was only read holds no Y.Doc, and its state is the stored one.
      const live = this.rooms.peek(id)?.liveDoc;
      if (!live) return (await this.store.loadUpdates(id)).map((row) => row.data);
      checkStructure(live.getXmlFragment(DOCUMENT_FRAGMENT), this.structureLimits);
      return [Y.encodeStateAsUpdate(live)];
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

  private async detail(record: DocumentRecord, role: DocumentRole): Promise<DocumentDetail> {
    const sizeBytes = await this.store.storedBytes(record.id);
    return { ...toSummary(record, role), version: record.version, sizeBytes };
  }
}

function docFromUpdate(update: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc;
}
