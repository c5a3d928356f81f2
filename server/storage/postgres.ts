/** The scale-out `Store`: PostgreSQL through Bun's built-in `Bun.SQL`, shared by every instance. */
import { SQL } from 'bun';
import type { ActivityEvent, NewActivityEvent } from '../../shared/activity.ts';
import type { UserRef } from '../../shared/dto.ts';
import { PostgresAccess, readableBy } from './postgres-access.ts';
import { PostgresAccounts } from './postgres-accounts.ts';
import { PostgresHistory } from './postgres-history.ts';
import { PostgresAttachments } from './postgres-attachments.ts';
import { PostgresSearch } from './postgres-search.ts';
import { migrate } from './postgres-schema.ts';
import { activityFromRow, DOCUMENT_COLUMNS, DOCUMENT_JOINS, likePattern, toDocument, type DocumentRow } from './rows.ts';
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

/** Options of `PostgresStore.open`. */
export interface PostgresStoreOptions {
  /** A schema to keep every table in (created if missing); the server's search_path when absent. */
  schema?: string;
}

// Key of the advisory lock that orders activity commits, paired with a hash of the schema so that
// stores in different schemas of one database never wait for each other.
const ACTIVITY_LOCK = 0x51554902;

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

interface ActivityRow {
  id: string;
  type: ActivityEvent['type'];
  document_id: string;
  document_title: string;
  actor_id: string;
  actor_name: string;
  actor_color: string;
  at: string;
  details: string;
}

function toActivity(row: ActivityRow): ActivityEvent {
  return activityFromRow({ ...row, id: Number(row.id), at: Number(row.at) });
}

// Bun.SQL hands BYTEA back as a Buffer; callers and the contract expect a plain Uint8Array (a
// view over the same bytes, no copy).
function toBytes(data: Uint8Array): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Ids returned by a multi-row INSERT, ascending: the sequence hands them out in row order. */
function insertedIds(rows: { id: string }[]): number[] {
  return rows.map((row) => Number(row.id)).sort((a, b) => a - b);
}

/** PostgreSQL implementation of `Store`. */
export class PostgresStore implements Store {
  readonly accounts: PostgresAccounts;
  readonly access: PostgresAccess;
  readonly history: PostgresHistory;
  readonly attachments: PostgresAttachments;
  readonly search: PostgresSearch;

  private constructor(private readonly sql: SQL) {
    this.accounts = new PostgresAccounts(sql);
    this.access = new PostgresAccess(sql);
    this.history = new PostgresHistory(sql);
    this.attachments = new PostgresAttachments(sql);
    this.search = new PostgresSearch(sql);
  }

  /** Connects to `url` and brings the schema up to date; safe when several instances start at once. */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const schema = options.schema ?? null;
    if (schema !== null && !SCHEMA_NAME.test(schema)) throw new Error(`Invalid PostgreSQL schema name: ${schema}`);
    // search_path is a start-up parameter, so every pooled connection (and every prepared
    // statement on it) resolves table names in the chosen schema.
    const sql = new SQL(url, schema === null ? {} : { connection: { search_path: `"${schema}"` } });
    try {
      await migrate(sql, schema);
    } catch (error) {
      await sql.close({ timeout: 0 });
      throw error;
    }
    return new PostgresStore(sql);
  }

  async createDocument(document: NewDocument): Promise<DocumentRecord> {
    return this.sql.begin(async (tx) => {
      await tx`INSERT INTO documents (id, title, created_at, updated_at, created_by, access_scope, access_role)
        VALUES (${document.id}, ${document.title}, ${document.createdAt}, ${document.createdAt}, ${document.createdBy.id},
          ${document.general.scope}, ${document.general.role})`;
      if (document.initialState) {
        await tx`INSERT INTO document_updates (document_id, data) VALUES (${document.id}, ${document.initialState})`;
      }
      return (await selectDocument(tx, document.id, false)) as DocumentRecord;
    });
  }

  async getDocument(id: string): Promise<DocumentRecord | null> {
    return selectDocument(this.sql, id, false);
  }

  async listDocuments(query: ListDocumentsQuery): Promise<ListedDocument[]> {
    const sql = this.sql;
    const reader = query.reader;
    const after = query.after ? sql`AND (d.updated_at, d.id) < (${query.after.updatedAt}, ${query.after.id})` : sql``;
    const title = query.titleContains ? sql`AND d.title ILIKE ${likePattern(query.titleContains)} ESCAPE '\\'` : sql``;
    const readable = reader && !reader.admin ? sql`AND ${readableBy(sql, 'd', reader.userId)}` : sql``;
    let filter = sql``;
    if (reader && query.filter === 'owned') filter = sql`AND d.created_by = ${reader.userId}`;
    else if (reader && query.filter === 'shared') filter = sql`AND d.created_by <> ${reader.userId} AND mg.role IS NOT NULL`;
    // The reader's own grant comes along, so the caller can tell its role without another query.
    const rows = await sql<(DocumentRow & { grant_role: ListedDocument['grant'] })[]>`
      SELECT ${sql.unsafe(DOCUMENT_COLUMNS)}, mg.role AS grant_role FROM documents d ${sql.unsafe(DOCUMENT_JOINS)}
      LEFT JOIN document_grants mg ON mg.document_id = d.id AND mg.user_id = ${reader?.userId ?? null}
      WHERE d.deleted_at IS NULL ${readable} ${filter} ${after} ${title}
      ORDER BY d.updated_at DESC, d.id DESC LIMIT ${query.limit}`;
    return rows.map((row) => ({ ...toDocument(row), grant: row.grant_role ?? null }));
  }

  async renameDocument(id: string, title: string, by: UserRef, at: number, expectedVersion: number | null): Promise<RenameResult> {
    return this.sql.begin(async (tx): Promise<RenameResult> => {
      // FOR UPDATE: a concurrent rename on another instance waits, then sees the new version.
      const current = await selectDocument(tx, id, true);
      if (!current) return { status: 'not-found' };
      if (expectedVersion !== null && current.version !== expectedVersion) return { status: 'stale', document: current };
      await tx`UPDATE documents SET title = ${title}, updated_at = ${at}, updated_by = ${by.id}, version = version + 1 WHERE id = ${id}`;
      const renamed = (await selectDocument(tx, id, false)) as DocumentRecord;
      return { status: 'renamed', document: renamed, previousTitle: current.title };
    });
  }

  async deleteDocument(id: string, at = Date.now()): Promise<boolean> {
    // Its link stops working in the trash; content, history and grants stay for a restore. The
    // row lock waits for appends in flight; later appends see the mark and store nothing.
    const marked = await this.sql`UPDATE documents SET deleted_at = ${at}, link_token = NULL WHERE id = ${id} AND deleted_at IS NULL`;
    return marked.affectedRows > 0;
  }

  async listTrash(reader: Reader, limit: number, before: TrashCursor | null): Promise<TrashedRecord[]> {
    const sql = this.sql;
    const owned = reader.admin
      ? sql``
      : sql`AND (d.created_by = ${reader.userId} OR EXISTS (SELECT 1 FROM document_grants og WHERE og.document_id = d.id AND og.user_id = ${reader.userId} AND og.role = 'owner'))`;
    const after = before ? sql`AND (d.deleted_at, d.id) < (${before.deletedAt}, ${before.id})` : sql``;
    const rows = await sql<(DocumentRow & { deleted_at: string })[]>`
      SELECT ${sql.unsafe(DOCUMENT_COLUMNS)}, d.deleted_at FROM documents d ${sql.unsafe(DOCUMENT_JOINS)}
      WHERE d.deleted_at IS NOT NULL ${owned} ${after} ORDER BY d.deleted_at DESC, d.id DESC LIMIT ${limit}`;
    return rows.map((row) => ({ ...toDocument(row), deletedAt: Number(row.deleted_at) }));
  }

  async getTrashed(id: string): Promise<TrashedRecord | null> {
    const [row] = await this.sql<(DocumentRow & { deleted_at: string })[]>`
      SELECT ${this.sql.unsafe(DOCUMENT_COLUMNS)}, d.deleted_at FROM documents d ${this.sql.unsafe(DOCUMENT_JOINS)}
      WHERE d.id = ${id} AND d.deleted_at IS NOT NULL`;
    return row ? { ...toDocument(row), deletedAt: Number(row.deleted_at) } : null;
  }

  async restoreDocument(id: string): Promise<DocumentRecord | null> {
    const restored = await this.sql`UPDATE documents SET deleted_at = NULL WHERE id = ${id} AND deleted_at IS NOT NULL`;
    return restored.affectedRows > 0 ? this.getDocument(id) : null;
  }

  async purgeDocument(id: string): Promise<boolean> {
    // Updates, grants, revisions (and attachments) go with it: ON DELETE CASCADE.
    const result = await this.sql`DELETE FROM documents WHERE id = ${id} AND deleted_at IS NOT NULL`;
    return result.affectedRows > 0;
  }

  async trashedBefore(deletedBefore: number, limit: number): Promise<string[]> {
    const rows = await this.sql<{ id: string }[]>`SELECT id FROM documents WHERE deleted_at < ${deletedBefore} ORDER BY deleted_at LIMIT ${limit}`;
    return rows.map((row) => row.id);
  }

  async appendUpdates(updates: UpdateToAppend[]): Promise<number[]> {
    if (updates.length === 0) return [];
    const touched = new Map<string, { at: number; editor: string | null }>();
    for (const update of updates) {
      const seen = touched.get(update.documentId);
      touched.set(update.documentId, {
        at: Math.max(seen?.at ?? update.at, update.at),
        editor: update.editor?.id ?? seen?.editor ?? null,
      });
    }
    const documentIds = [...touched.keys()].sort();
    return this.sql.begin(async (tx) => {
      // Lock the documents in one fixed order, so that instances appending to overlapping sets
      // cannot deadlock, and so that a concurrent delete cannot remove one between this check and
      // the insert (its foreign key would then fail the whole batch). NO KEY UPDATE does not block
      // the key-share locks that other writers' foreign-key checks take.
      const present = await tx<{ id: string }[]>`SELECT id FROM documents
        WHERE id = ANY(${tx.array(documentIds, 'TEXT')}) AND deleted_at IS NULL ORDER BY id FOR NO KEY UPDATE`;
      const live = new Set(present.map((row) => row.id));
      const kept = updates.filter((update) => live.has(update.documentId));
      if (kept.length === 0) return updates.map(() => 0);
      const marks = [...live].map((id) => ({ id, ...touched.get(id)! }));
      await tx`UPDATE documents d SET updated_at = GREATEST(d.updated_at, t.at), updated_by = COALESCE(t.editor, d.updated_by)
        FROM unnest(${tx.array(marks.map((m) => m.id), 'TEXT')}, ${tx.array(marks.map((m) => m.at), 'INT8')},
          ${tx.array(marks.map((m) => m.editor), 'TEXT')}) AS t(id, at, editor)
        WHERE d.id = t.id`;
      // One statement for the whole batch; arrays keep its text (and prepared plan) the same
      // whatever the batch size.
      const rows = await tx<{ id: string }[]>`INSERT INTO document_updates (document_id, data)
        SELECT u.document_id, u.data
        FROM unnest(${tx.array(kept.map((u) => u.documentId), 'TEXT')}, ${tx.array(kept.map((u) => u.data), 'BYTEA')})
          WITH ORDINALITY AS u(document_id, data, position)
        ORDER BY u.position RETURNING id`;
      const ids = insertedIds(rows);
      let next = 0;
      return updates.map((update) => (live.has(update.documentId) ? ids[next++]! : 0));
    });
  }

  async storedBytes(documentId: string): Promise<number> {
    const [row] = await this.sql<{ bytes: string }[]>`
      SELECT COALESCE(SUM(octet_length(data)), 0) AS bytes FROM document_updates WHERE document_id = ${documentId}`;
    return Number(row!.bytes);
  }

  async loadUpdates(documentId: string): Promise<StoredUpdate[]> {
    const rows = await this.sql<{ id: string; data: Uint8Array }[]>`
      SELECT id, data FROM document_updates WHERE document_id = ${documentId} ORDER BY id`;
    return rows.map((row) => ({ id: Number(row.id), data: toBytes(row.data) }));
  }

  async replaceUpdates(documentId: string, replacedIds: number[], snapshot: Uint8Array): Promise<number | null> {
    return this.sql.begin(async (tx) => {
      // KEY SHARE keeps the document from being deleted before the snapshot is in.
      const [document] = await tx`SELECT 1 FROM documents WHERE id = ${documentId} AND deleted_at IS NULL FOR SHARE`;
      if (!document) return null;
      // Exactly these ids: rows appended meanwhile by any instance stay.
      await tx`DELETE FROM document_updates WHERE document_id = ${documentId} AND id = ANY(${tx.array(replacedIds, 'INT8')})`;
      const [row] = await tx<{ id: string }[]>`INSERT INTO document_updates (document_id, data) VALUES (${documentId}, ${snapshot}) RETURNING id`;
      return Number(row!.id);
    });
  }

  async appendActivity(events: NewActivityEvent[]): Promise<ActivityEvent[]> {
    if (events.length === 0) return [];
    return this.sql.begin(async (tx) => {
      // Sequences hand out ids in call order but transactions may commit in another order, so a
      // reader resuming after id 11 could miss 10 committed just after. Holding this lock until
      // commit makes activity ids commit in increasing order across every instance.
      await tx`SELECT pg_advisory_xact_lock(${ACTIVITY_LOCK}, hashtext(current_schema()))`;
      const column = <K extends keyof NewActivityEvent>(key: K) => events.map((event) => event[key]);
      const rows = await tx<{ id: string }[]>`
        INSERT INTO activity (type, document_id, document_title, actor_id, actor_name, actor_color, at, details)
        SELECT e.type, e.document_id, e.document_title, e.actor_id, e.actor_name, e.actor_color, e.at, e.details
        FROM unnest(${tx.array(column('type'), 'TEXT')}, ${tx.array(column('documentId'), 'TEXT')},
          ${tx.array(column('documentTitle'), 'TEXT')}, ${tx.array(events.map((e) => e.actor.id), 'TEXT')},
          ${tx.array(events.map((e) => e.actor.name), 'TEXT')}, ${tx.array(events.map((e) => e.actor.color), 'TEXT')},
          ${tx.array(events.map((e) => Date.parse(e.at)), 'INT8')}, ${tx.array(events.map((e) => JSON.stringify(e.details)), 'TEXT')})
          WITH ORDINALITY AS e(type, document_id, document_title, actor_id, actor_name, actor_color, at, details, position)
        ORDER BY e.position RETURNING id`;
      const ids = insertedIds(rows);
      return events.map((event, index) => ({ ...event, id: ids[index]! }) as ActivityEvent);
    });
  }

  async listActivity(query: ListActivityQuery): Promise<ActivityEvent[]> {
    const sql = this.sql;
    const before = query.before !== null ? sql`AND a.id < ${query.before}` : sql``;
    const rows = await sql<ActivityRow[]>`SELECT a.* FROM activity a
      WHERE TRUE ${this.activityFilter(query.documentId, query.reader ?? null)} ${before} ORDER BY a.id DESC LIMIT ${query.limit}`;
    return rows.map(toActivity);
  }

  async activitySince(afterId: number, documentId: string | null, limit: number, reader: Reader | null = null): Promise<ActivityEvent[]> {
    const sql = this.sql;
    const rows = await sql<ActivityRow[]>`SELECT a.* FROM activity a
      WHERE a.id > ${afterId} ${this.activityFilter(documentId, reader)} ORDER BY a.id LIMIT ${limit}`;
    return rows.map(toActivity);
  }

  /** The conditions on `activity a` for one document's events and what a reader may read. */
  private activityFilter(documentId: string | null, reader: Reader | null) {
    const sql = this.sql;
    const document = documentId !== null ? sql`AND a.document_id = ${documentId}` : sql``;
    if (!reader || reader.admin) return document;
    return sql`${document} AND EXISTS (SELECT 1 FROM documents d WHERE d.id = a.document_id AND ${readableBy(sql, 'd', reader.userId)})`;
  }

  async ping(): Promise<void> {
    await this.sql`SELECT 1`;
  }

  async close(): Promise<void> {
    // Lets running queries (a last write batch) finish, but never hangs shutdown for long.
    await this.sql.close({ timeout: 5 });
  }
}

/** A live (not deleted) document by id. */
async function selectDocument(sql: SQL, id: string, forUpdate: boolean): Promise<DocumentRecord | null> {
  const lock = forUpdate ? sql`FOR UPDATE OF d` : sql``;
  const [row] = await sql<DocumentRow[]>`SELECT ${sql.unsafe(DOCUMENT_COLUMNS)} FROM documents d ${sql.unsafe(DOCUMENT_JOINS)}
    WHERE d.id = ${id} AND d.deleted_at IS NULL ${lock}`;
  return row ? toDocument(row) : null;
}
