/** The access part of the SQLite `Store`: general access, personal grants and secret links. */
import type { Database } from 'bun:sqlite';
import type { DocumentRole, GeneralAccess } from '../../shared/dto.ts';
import type { AccessRules } from '../policy/document-access.ts';
import { rulesFromRows, type AccessRulesRow } from './rows.ts';
import type { AccessStore, GrantRecord } from './store.ts';

/**
 * The condition "account `userId` may read document `alias`" (ownership, workspace access or a
 * personal grant; link access is checked per request, never listed), with its parameters.
 * Admins need no condition. Kept in step with `roleOn` in `policy/document-access.ts`.
 */
export function readableBy(alias: string, userId: string): { sql: string; params: string[] } {
  return {
    sql: `(${alias}.created_by = ? OR ${alias}.access_scope = 'workspace'
      OR EXISTS (SELECT 1 FROM document_grants rg WHERE rg.document_id = ${alias}.id AND rg.user_id = ?))`,
    params: [userId, userId],
  };
}

/** Document access in SQLite. */
export class SqliteAccess implements AccessStore {
  constructor(private readonly db: Database) {}

  async rules(documentIds: readonly string[]): Promise<Map<string, AccessRules>> {
    if (documentIds.length === 0) return new Map();
    const ids = JSON.stringify([...new Set(documentIds)]);
    const documents = this.db
      .query('SELECT id, created_by, access_scope, access_role, link_token FROM documents WHERE id IN (SELECT value FROM json_each(?))')
      .all(ids) as AccessRulesRow[];
    const grants = this.db
      .query('SELECT document_id, user_id, role FROM document_grants WHERE document_id IN (SELECT value FROM json_each(?))')
      .all(ids) as { document_id: string; user_id: string; role: DocumentRole }[];
    return rulesFromRows(documents, grants);
  }

  async grants(documentId: string): Promise<GrantRecord[]> {
    const rows = this.db
      .query(
        `SELECT u.id, u.name, u.email, u.color, g.role FROM document_grants g JOIN users u ON u.id = g.user_id
         WHERE g.document_id = ? ORDER BY u.name, u.id`,
      )
      .all(documentId) as { id: string; name: string; email: string | null; color: string; role: DocumentRole }[];
    return rows.map(({ role, ...user }) => ({ user, role }));
  }

  async replace(documentId: string, general: GeneralAccess, grants: readonly { userId: string; role: DocumentRole }[]): Promise<boolean> {
    const insert = this.db.query('INSERT INTO document_grants (document_id, user_id, role) VALUES (?, ?, ?)');
    return this.db.transaction(() => {
      const updated = this.db
        .query('UPDATE documents SET access_scope = ?, access_role = ? WHERE id = ? AND deleted_at IS NULL')
        .run(general.scope, general.role, documentId);
      if (updated.changes === 0) return false;
      this.db.query('DELETE FROM document_grants WHERE document_id = ?').run(documentId);
      for (const grant of grants) insert.run(documentId, grant.userId, grant.role);
      return true;
    })();
  }

  async setLinkToken(documentId: string, token: string): Promise<boolean> {
    return this.db.query('UPDATE documents SET link_token = ? WHERE id = ? AND deleted_at IS NULL').run(token, documentId).changes > 0;
  }

  async findByLinkToken(token: string): Promise<string | null> {
    const row = this.db.query('SELECT id FROM documents WHERE link_token = ? AND deleted_at IS NULL').get(token) as { id: string } | null;
    return row?.id ?? null;
  }
}
