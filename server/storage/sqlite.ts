/** The embedded default `Store`: one SQLite file in WAL mode through `bun:sqlite`. */
import { Database } from 'bun:sqlite';
import { join } from 'node:path';
import { ensurePrivateDir, ensurePrivateFile, tightenIfPresent } from './private-files.ts';
import type { ActivityEvent, NewActivityEvent } from '../../shared/activity.ts';
import type { UserRef } from '../../shared/dto.ts';
import { activityFromRow, DOCUMENT_COLUMNS, DOCUMENT_JOINS, likePattern, toDocument, type ActivityRow, type DocumentRow } from './rows.ts';
import { SqliteAccess, readableBy } from './sqlite-access.ts';
import { SqliteAccounts } from './sqlite-accounts.ts';
import { SqliteHistory } from './sqlite-history.ts';
import { SqliteAttachments } from './sqlite-attachments.ts';
import { SqliteSearch } from './sqlite-search.ts';
import { SQLITE_MIGRATIONS } from './sqlite-schema.ts';
import { DocumentTouches } from './sqlite-touches.ts';
import { WalCheckpointer } from './wal-checkpointer.ts';
import type { Logger } from '../logger.ts';
import type {
  AccountChanges,
  AccountRecord,
  Admission,
  CreateAccountResult,
  DocumentRecord,
  InviteRecord,
  ListAccountsQuery,
  NewAccount,
  NewInvite,
  UpdateAccountResult,
  ListActivityQuery,
  ListDocumentsQuery,
  ListedDocument,
  NewDocument,
  Reader,
  TrashCursor,
  TrashedRecord,
  RenameResult,
  SessionRecord,
  Store,
  StoredUpdate,
  UpdateToAppend,
} from './store.ts';

/** A live (not deleted) document's row by id. */
const DOCUMENT_BY_ID = `SELECT ${DOCUMENT_COLUMNS} FROM documents d ${DOCUMENT_JOINS} WHERE d.id = ? AND d.deleted_at IS NULL`;

/** SQLite implementation of `Store`. */
export class SqliteStore implements Store {
  private readonly db: Database;
  /** Runs the log's checkpoints on a thread of their own (null for an in-memory database). */
  readonly checkpointer: WalCheckpointer | null;
  readonly accounts: SqliteAccounts;
  readonly access: SqliteAccess;
  readonly history: SqliteHistory;
  readonly attachments: SqliteAttachments;
  readonly search: SqliteSearch;
  private readonly touches: DocumentTouches;
  private readonly appendInTransaction: (updates: UpdateToAppend[]) => number[];

  /** Opens (creating if needed) `quire.sqlite` in `dataDir`, or an in-memory database for ':memory:'. */
  constructor(dataDir: string, options: { synchronous?: 'NORMAL' | 'FULL'; logger?: Logger } = {}) {
    const file = dataDir === ':memory:' ? null : join(dataDir, 'quire.sqlite');
    if (file === null) {
      this.db = new Database(':memory:', { strict: true });
    } else {
      ensurePrivateDir(dataDir);
      ensurePrivateFile(file);
      for (const companion of [`${file}-wal`, `${file}-shm`]) tightenIfPresent(companion);
      this.db = new Database(file, { create: true, strict: true });
    }
    // WAL: readers never block the writer. NORMAL sync: a commit survives a process crash (the
    // durability the sync server promises); only an OS crash or power loss may lose the last ones.
    // FULL also survives those, at the cost of an fsync per commit (SQLITE_SYNCHRONOUS).
    this.db.exec('PRAGMA journal_mode = WAL');
    this.db.exec(`PRAGMA synchronous = ${options.synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`);
    this.db.exec('PRAGMA foreign_keys = ON');
    // bun:sqlite is synchronous: while another process holds a write lock, a waiting statement
    // blocks the whole event loop (every socket, every request). Wait briefly and fail instead;
    // the update writer retries with backoff and REST answers 503 meanwhile.
    this.db.exec('PRAGMA busy_timeout = 100');
    this.migrate();
    // After the migrations: the thread's connection must find the schema settled.
    this.checkpointer = file ? WalCheckpointer.start(this.db, file, { logger: options.logger }) : null;
    this.touches = new DocumentTouches(this.db, options.logger);
    this.appendInTransaction = this.buildAppend();
    this.accounts = new SqliteAccounts(this.db);
    this.access = new SqliteAccess(this.db);
    this.history = new SqliteHistory(this.db);
    this.attachments = new SqliteAttachments(this.db);
    this.search = new SqliteSearch(this.db);
  }

  private migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)');
    const row = this.db.query('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
    const current = row.v ?? 0;
    SQLITE_MIGRATIONS.forEach((sql, index) => {
      const version = index + 1;
      if (version <= current) return;
      this.db.transaction(() => {
        this.db.exec(sql);
        this.db.query('INSERT INTO schema_migrations (version) VALUES (?)').run(version);
      })();
    });
  }

  async createDocument(document: NewDocument): Promise<DocumentRecord> {
    this.db.transaction(() => {
      this.db
        .query('INSERT INTO documents (id, title, created_at, updated_at, created_by, access_scope, access_role) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(document.id, document.title, document.createdAt, document.createdAt, document.createdBy.id, document.general.scope, document.general.role);
      if (document.initialState) {
        this.db.query('INSERT INTO document_updates (document_id, data) VALUES (?, ?)').run(document.id, document.initialState);
      }
    })();
    return (await this.getDocument(document.id)) as DocumentRecord;
  }

  async getDocument(id: string): Promise<DocumentRecord | null> {
    const row = this.db.query(DOCUMENT_BY_ID).get(id) as DocumentRow | null;
    return row ? toDocument(row) : null;
  }

  async listDocuments(query: ListDocumentsQuery): Promise<ListedDocument[]> {
    const where: string[] = ['d.deleted_at IS NULL'];
    const params: (string | number | null)[] = [query.reader?.userId ?? null];
    if (query.reader && !query.reader.admin) {
      const readable = readableBy('d', query.reader.userId);
      where.push(readable.sql);
      params.push(...readable.params);
    }
    if (query.reader && query.filter === 'owned') {
      where.push('d.created_by = ?');
      params.push(query.reader.userId);
    } else if (query.reader && query.filter === 'shared') {
      where.push('d.created_by <> ? AND mg.role IS NOT NULL');
      params.push(query.reader.userId);
    }
    if (query.after) {
      where.push('(d.updated_at < ? OR (d.updated_at = ? AND d.id < ?))');
      params.push(query.after.updatedAt, query.after.updatedAt, query.after.id);
    }
    if (query.titleContains) {
      where.push("d.title LIKE ? ESCAPE '\\'");
      params.push(likePattern(query.titleContains));
    }
    // The reader's own grant comes along, so the caller can tell its role without another query.
    const sql = `SELECT ${DOCUMENT_COLUMNS}, mg.role AS grant_role FROM documents d ${DOCUMENT_JOINS}
      LEFT JOIN document_grants mg ON mg.document_id = d.id AND mg.user_id = ?
      WHERE ${where.join(' AND ')} ORDER BY d.updated_at DESC, d.id DESC LIMIT ?`;
    const rows = this.db.query(sql).all(...params, query.limit) as (DocumentRow & { grant_role: ListedDocument['grant'] })[];
    return rows.map((row) => ({ ...toDocument(row), grant: row.grant_role ?? null }));
  }

  async renameDocument(id: string, title: string, by: UserRef, at: number, expectedVersion: number | null): Promise<RenameResult> {
    return this.db.transaction((): RenameResult => {
      const current = this.db.query(DOCUMENT_BY_ID).get(id) as DocumentRow | null;
      if (!current) return { status: 'not-found' };
      if (expectedVersion !== null && current.version !== expectedVersion) {
        return { status: 'stale', document: toDocument(current) };
      }
      this.db
        .query('UPDATE documents SET title = ?, updated_at = ?, updated_by = ?, version = version + 1 WHERE id = ?')
        .run(title, at, by.id, id);
      const renamed = this.db.query(DOCUMENT_BY_ID).get(id) as DocumentRow;
      return { status: 'renamed', document: toDocument(renamed), previousTitle: current.title };
    })();
  }

  async deleteDocument(id: string, at = Date.now()): Promise<boolean> {
    // Its link stops working in the trash; content, history and grants stay for a restore.
    const marked = this.db.query('UPDATE documents SET deleted_at = ?, link_token = NULL WHERE id = ? AND deleted_at IS NULL').run(at, id);
    return marked.changes > 0;
  }

  async listTrash(reader: Reader, limit: number, before: TrashCursor | null): Promise<TrashedRecord[]> {
    const where = ['d.deleted_at IS NOT NULL'];
    const params: (string | number)[] = [];
    if (!reader.admin) {
      where.push("(d.created_by = ? OR EXISTS (SELECT 1 FROM document_grants og WHERE og.document_id = d.id AND og.user_id = ? AND og.role = 'owner'))");
      params.push(reader.userId, reader.userId);
    }
    if (before) {
      where.push('(d.deleted_at < ? OR (d.deleted_at = ? AND d.id < ?))');
      params.push(before.deletedAt, before.deletedAt, before.id);
    }
    const rows = this.db
      .query(`SELECT ${DOCUMENT_COLUMNS}, d.deleted_at FROM documents d ${DOCUMENT_JOINS} WHERE ${where.join(' AND ')} ORDER BY d.deleted_at DESC, d.id DESC LIMIT ?`)
      .all(...params, limit) as (DocumentRow & { deleted_at: number })[];
    return rows.map((row) => ({ ...toDocument(row), deletedAt: row.deleted_at }));
  }

  async getTrashed(id: string): Promise<TrashedRecord | null> {
    const row = this.db
      .query(`SELECT ${DOCUMENT_COLUMNS}, d.deleted_at FROM documents d ${DOCUMENT_JOINS} WHERE d.id = ? AND d.deleted_at IS NOT NULL`)
      .get(id) as (DocumentRow & { deleted_at: number }) | null;
    return row ? { ...toDocument(row), deletedAt: row.deleted_at } : null;
  }

  async restoreDocument(id: string): Promise<DocumentRecord | null> {
    const restored = this.db.query('UPDATE documents SET deleted_at = NULL WHERE id = ? AND deleted_at IS NOT NULL').run(id);
    return restored.changes > 0 ? this.getDocument(id) : null;
  }

  async purgeDocument(id: string): Promise<boolean> {
    // Updates, grants, revisions (and attachments) go with it: ON DELETE CASCADE.
    return this.db.query('DELETE FROM documents WHERE id = ? AND deleted_at IS NOT NULL').run(id).changes > 0;
  }

  async trashedBefore(deletedBefore: number, limit: number): Promise<string[]> {
    const rows = this.db.query('SELECT id FROM documents WHERE deleted_at < ? ORDER BY deleted_at LIMIT ?').all(deletedBefore, limit) as { id: string }[];
    return rows.map((row) => row.id);
  }

  async appendUpdates(updates: UpdateToAppend[]): Promise<number[]> {
    if (this.checkpointer?.logTooLong) await this.checkpointer.holdForCheckpoint();
    const ids = this.appendInTransaction(updates);
    this.checkpointer?.committed();
    return ids;
  }

  /**
   * One transaction per batch (a turn's updates). Each document's row is touched first, by the
   * batch's last edit of it (its "last edited" time and editor, at most once a second while its
   * editor keeps typing: see `DocumentTouches`), which tells whether the document is still
   * there, so a batch costs one statement per document and one per update.
   * Built once (in the constructor, after the migrations): the statements and the transaction's
   * wrapper are otherwise per call costs at every keystroke.
   */
  private buildAppend(): (updates: UpdateToAppend[]) => number[] {
    const insert = this.db.query('INSERT INTO document_updates (document_id, data) VALUES (?, ?)');
    return this.db.transaction((updates: UpdateToAppend[]): number[] => {
      const lastEdit = new Map<string, UpdateToAppend>();
      for (const update of updates) lastEdit.set(update.documentId, update);
      const present = this.touches.record(lastEdit);
      return updates.map((update) => (present.has(update.documentId) ? Number(insert.run(update.documentId, update.data).lastInsertRowid) : 0));
    });
  }

  async storedBytes(documentId: string): Promise<number> {
    const row = this.db
      .query('SELECT COALESCE(SUM(LENGTH(data)), 0) AS bytes FROM document_updates WHERE document_id = ?')
      .get(documentId) as { bytes: number };
    return row.bytes;
  }

  async loadUpdates(documentId: string): Promise<StoredUpdate[]> {
    const rows = this.db
      .query('SELECT id, data FROM document_updates WHERE document_id = ? ORDER BY id')
      .all(documentId) as { id: number; data: Uint8Array }[];
    return rows;
  }

  async replaceUpdates(documentId: string, replacedIds: number[], snapshot: Uint8Array): Promise<number | null> {
    const remove = this.db.query('DELETE FROM document_updates WHERE id = ? AND document_id = ?');
    return this.db.transaction(() => {
      if (this.db.query('SELECT 1 FROM documents WHERE id = ? AND deleted_at IS NULL').get(documentId) === null) return null;
      for (const id of replacedIds) remove.run(id, documentId);
      return Number(
        this.db.query('INSERT INTO document_updates (document_id, data) VALUES (?, ?)').run(documentId, snapshot).lastInsertRowid,
      );
    })();
  }

  async appendActivity(events: NewActivityEvent[]): Promise<ActivityEvent[]> {
    const insert = this.db.query(
      `INSERT INTO activity (type, document_id, document_title, actor_id, actor_name, actor_color, at, details)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    return this.db.transaction(() =>
      events.map((event) => {
        const id = Number(
          insert.run(
            event.type,
            event.documentId,
            event.documentTitle,
            event.actor.id,
            event.actor.name,
            event.actor.color,
            Date.parse(event.at),
            JSON.stringify(event.details),
          ).lastInsertRowid,
        );
        return { ...event, id } as ActivityEvent;
      }),
    )();
  }

  async listActivity(query: ListActivityQuery): Promise<ActivityEvent[]> {
    const where = activityFilter(query.documentId, query.reader ?? null);
    if (query.before !== null) {
      where.sql.push('a.id < ?');
      where.params.push(query.before);
    }
    const sql = `SELECT a.* FROM activity a WHERE ${where.sql.join(' AND ')} ORDER BY a.id DESC LIMIT ?`;
    return (this.db.query(sql).all(...where.params, query.limit) as ActivityRow[]).map(activityFromRow);
  }

  async activitySince(afterId: number, documentId: string | null, limit: number, reader: Reader | null = null): Promise<ActivityEvent[]> {
    const where = activityFilter(documentId, reader);
    const sql = `SELECT a.* FROM activity a WHERE a.id > ? AND ${where.sql.join(' AND ')} ORDER BY a.id LIMIT ?`;
    return (this.db.query(sql).all(afterId, ...where.params, limit) as ActivityRow[]).map(activityFromRow);
  }

  async ping(): Promise<void> {
    this.db.query('SELECT 1').get();
  }

  async close(): Promise<void> {
    this.touches.close();
    this.touches.flush();
    await this.checkpointer?.stop();
    this.db.close();
  }
}

/** The conditions on `activity a` for one document's events and what a reader may read. */
function activityFilter(documentId: string | null, reader: Reader | null): { sql: string[]; params: (string | number)[] } {
  const sql = ['TRUE'];
  const params: (string | number)[] = [];
  if (documentId !== null) {
    sql.push('a.document_id = ?');
    params.push(documentId);
  }
  if (reader && !reader.admin) {
    const readable = readableBy('d', reader.userId);
    sql.push(`EXISTS (SELECT 1 FROM documents d WHERE d.id = a.document_id AND ${readable.sql})`);
    params.push(...readable.params);
  }
  return { sql, params };
}
