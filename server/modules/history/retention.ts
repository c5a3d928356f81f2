/**
 * Thins old history: every revision is kept for `REVISION_RETENTION_DAYS`; after that, edit
 * revisions are thinned to the last of each hour, and after 90 days to the last of each day.
 * Named versions and restores are kept for ever. A removed revision's change is merged into the
 * revision after it, so every revision left still adds up to exactly what it showed.
 */
import type { Logger } from '../../logger.ts';
import type { Store } from '../../storage/store.ts';
import { decodeChange, encodeChange, mergeParts } from './changes.ts';

const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;
const DAILY_AFTER_DAYS = 90;
const BATCH = 5000;

/** The bucket a revision's age puts it in: its hour, or past 90 days its day. */
function bucketOf(createdAt: number, now: number): string {
  return now - createdAt > DAILY_AFTER_DAYS * DAY_MS ? `d${Math.floor(createdAt / DAY_MS)}` : `h${Math.floor(createdAt / HOUR_MS)}`;
}

/** Runs the thinning over every document; returns how many revisions it removed. */
export async function thinRevisions(store: Store, retentionDays: number, now: number, logger: Logger): Promise<number> {
  const candidates = await store.history.editsBefore(now - retentionDays * DAY_MS, BATCH);
  const byDocument = new Map<string, { id: number; createdAt: number }[]>();
  for (const candidate of candidates) {
    const list = byDocument.get(candidate.documentId) ?? [];
    list.push(candidate);
    byDocument.set(candidate.documentId, list);
  }
  let removed = 0;
  for (const [documentId, revisions] of byDocument) {
    try {
      removed += await thinDocument(store, documentId, revisions, now);
    } catch (error) {
      logger.warn('thinning the history of a document failed; it stays as it was', { documentId, error });
    }
  }
  return removed;
}

async function thinDocument(store: Store, documentId: string, revisions: { id: number; createdAt: number }[], now: number): Promise<number> {
  // The last of each bucket stays; the others go.
  const lastOfBucket = new Map<string, number>();
  for (const revision of revisions) lastOfBucket.set(bucketOf(revision.createdAt, now), revision.id);
  const kept = new Set(lastOfBucket.values());
  const doomed = revisions.filter((revision) => !kept.has(revision.id)).map((revision) => revision.id);
  // Group the doomed by the first revision after them that stays, which absorbs their changes.
  const doomedSet = new Set(doomed);
  const into = new Map<number, number[]>();
  for (const id of doomed) {
    let next = await store.history.nextId(documentId, id);
    while (next !== null && doomedSet.has(next)) next = await store.history.nextId(documentId, next);
    if (next === null) continue; // never the case (the newest of a bucket stays), but never lose a change
    into.set(next, [...(into.get(next) ?? []), id]);
  }
  let removed = 0;
  for (const [target, ids] of into) {
    const blobs = await store.history.changesOf(documentId, [...ids, target]);
    const parts = [...ids, target].flatMap((id) => decodeChange(blobs.get(id)!));
    await store.history.merge(documentId, ids, target, encodeChange(mergeParts(parts)));
    removed += ids.length;
  }
  return removed;
}

/** Thins history now and then every hour; returns the function that stops it. */
export function scheduleThinning(store: Store, retentionDays: number, logger: Logger): () => void {
  const run = () => void thinRevisions(store, retentionDays, Date.now(), logger).catch((error: unknown) => logger.warn('thinning history failed', { error }));
  run();
  const timer = setInterval(run, HOUR_MS);
  timer.unref?.();
  return () => clearInterval(timer);
}
