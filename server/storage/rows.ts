/** Row shapes and mappings that both SQL stores share. */
import type { ActivityEvent } from '../../shared/activity.ts';

/** An activity row as stored (ids and times as numbers). */
export interface ActivityRow {
  id: number;
  type: ActivityEvent['type'];
  document_id: string;
  document_title: string;
  actor_id: string;
  actor_name: string;
  actor_color: string;
  at: number;
  details: string;
}

/** Maps a stored activity row back to the event union. */
export function activityFromRow(row: ActivityRow): ActivityEvent {
  return {
    id: row.id,
    type: row.type,
    documentId: row.document_id,
    documentTitle: row.document_title,
    actor: { id: row.actor_id, name: row.actor_name, color: row.actor_color },
    at: new Date(row.at).toISOString(),
    details: JSON.parse(row.details),
  } as ActivityEvent;
}

/** Escapes LIKE wildcards so a title filter matches literally. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
