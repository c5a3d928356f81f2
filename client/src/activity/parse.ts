/** Reading activity events off the wire without trusting their shape. */
import { ACTIVITY_TYPES, type ActivityEvent } from '../../../shared/activity.ts';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** `{inserted, deleted}`, both numbers. */
function isCounts(value: unknown): boolean {
  return isRecord(value) && typeof value.inserted === 'number' && typeof value.deleted === 'number';
}

/** Parses one SSE `data:` payload; null when it is not a well-formed activity event. */
export function parseActivityEvent(data: string): ActivityEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isRecord(value)) return null;
  const { id, type, documentId, documentTitle, actor, at, details } = value;
  if (typeof id !== 'number' || !Number.isInteger(id)) return null;
  if (typeof type !== 'string' || !(ACTIVITY_TYPES as readonly string[]).includes(type)) return null;
  if (typeof documentId !== 'string' || typeof documentTitle !== 'string' || typeof at !== 'string') return null;
  if (!isRecord(actor) || typeof actor.name !== 'string' || typeof actor.id !== 'string') return null;
  if (!isRecord(details)) return null;
  if (type === 'document.edited') {
    if (typeof details.inserted !== 'number' || typeof details.deleted !== 'number') return null;
    if (typeof details.excerpt !== 'string') return null;
    if (details.words !== undefined && !isCounts(details.words)) return null;
    if (details.revisionId !== undefined && !Number.isInteger(details.revisionId)) return null;
  }
  if (type === 'document.restored' && !Number.isInteger(details.revisionId)) return null;
  if (type === 'document.renamed' && (typeof details.from !== 'string' || typeof details.to !== 'string')) {
    return null;
  }
  return value as unknown as ActivityEvent;
}
