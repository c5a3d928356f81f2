/**
 * The trash: deleted documents wait here for their owners (the creator, owners by grant, admins)
 * to restore them with content, history and access intact, or to delete them for good; after
 * `TRASH_RETENTION_DAYS` they go by themselves. Never sees a request.
 */
import type { DocumentDetail, Page, TrashedDocument, User } from '../../../shared/dto.ts';
import type { Caller } from '../../http/auth.ts';
import { notFound, roleRequired } from '../../http/problem.ts';
import type { Logger } from '../../logger.ts';
import { can, roleOn } from '../../policy/document-access.ts';
import type { Store, TrashedRecord } from '../../storage/store.ts';
import { subjectOf } from '../access/service.ts';
import { isDocumentId } from '../documents/ids.ts';
import { toSummary } from '../documents/service.ts';
import { decodeKeyset, encodeKeyset } from '../../http/keyset-cursor.ts';

const DAY_MS = 24 * 3600 * 1000;
const PURGE_INTERVAL_MS = 3600 * 1000;
const PURGE_BATCH = 100;

function toTrashed(record: TrashedRecord): TrashedDocument {
  return { ...toSummary(record, 'owner'), deletedAt: new Date(record.deletedAt).toISOString() };
}

/** Lists, restores and empties the trash. */
export class TrashService {
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly store: Store,
    private readonly retentionDays: number,
    private readonly logger: Logger,
    /** Loads a restored document as the caller sees it. */
    private readonly detail: (id: string, caller: Caller) => Promise<DocumentDetail>,
  ) {}

  /** The documents in the trash that `user` owns (every one for admins), most recently deleted first. */
  async list(user: User, cursor: string | undefined, limit: number): Promise<Page<TrashedDocument>> {
    const after = cursor ? decodeKeyset(cursor) : null;
    const records = await this.store.listTrash({ userId: user.id, admin: user.role === 'admin' }, limit + 1, after ? { deletedAt: after.time, id: after.id } : null);
    const page = records.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toTrashed), nextCursor: records.length > limit && last ? encodeKeyset(last.deletedAt, last.id) : null };
  }

  /** Takes a document out of the trash (owners), with its content, history and access. */
  async restore(id: string, caller: Caller): Promise<DocumentDetail> {
    await this.requireOwner(id, caller);
    if (!(await this.store.restoreDocument(id))) throw notFound(`nothing in the trash with id ${id}`);
    return this.detail(id, caller);
  }

  /** Deletes a document in the trash for good (owners). */
  async purge(id: string, caller: Caller): Promise<void> {
    await this.requireOwner(id, caller);
    if (!(await this.store.purgeDocument(id))) throw notFound(`nothing in the trash with id ${id}`);
  }

  /** Deletes for good what has been in the trash longer than the retention; returns how many. */
  async purgeExpired(now = Date.now()): Promise<number> {
    let purged = 0;
    for (;;) {
      const ids = await this.store.trashedBefore(now - this.retentionDays * DAY_MS, PURGE_BATCH);
      for (const id of ids) if (await this.store.purgeDocument(id)) purged++;
      if (ids.length < PURGE_BATCH) return purged;
    }
  }

  /** Purges now, then every hour until `stop`. */
  start(): void {
    const run = () => this.purgeExpired().catch((error: unknown) => this.logger.warn('emptying the trash failed', { error }));
    void run();
    this.timer ??= setInterval(run, PURGE_INTERVAL_MS);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** 404 unless the document is in the trash and the caller could read it; 403 unless it owns it. */
  private async requireOwner(id: string, caller: Caller): Promise<void> {
    const trashed = isDocumentId(id) ? await this.store.getTrashed(id) : null;
    const rules = trashed ? (await this.store.access.rules([id])).get(id) : undefined;
    const role = rules ? roleOn(rules, subjectOf(caller)) : null;
    if (!trashed || role === null) throw notFound(`nothing in the trash with id ${id}`);
    if (!can(role, 'delete')) throw roleRequired('owner', 'Only an owner can restore this document or delete it for good.');
  }
}
