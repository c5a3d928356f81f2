/** The access part of the PostgreSQL `Store`: general access, personal grants and secret links. */
import type { SQL } from 'bun';
import type { DocumentRole, GeneralAccess } from '../../shared/dto.ts';
import type { AccessRules } from '../policy/document-access.ts';
import { rulesFromRows, type AccessRulesRow } from './rows.ts';
import type { AccessStore, GrantRecord } from './store.ts';

/**
 * The condition "account `userId` may read document `alias`" (ownership, workspace access or a
 * personal grant; link access is checked per request, never listed). Admins need no condition.
 * Kept in step with `roleOn` in `policy/document-access.ts`.
 */
export function readableBy(sql: SQL, alias: string, userId: string) {
  const d = sql.unsafe(alias);
  return sql`(${d}.created_by = ${userId} OR ${d}.access_scope = 'workspace'
    OR EXISTS (SELECT 1 FROM document_grants rg WHERE rg.document_id = ${d}.id AND rg.user_id = ${userId}))`;
}

/** Document access in PostgreSQL. */
export class PostgresAccess implements AccessStore {
  constructor(private readonly sql: SQL) {}

  async rules(documentIds: readonly string[]): Promise<Map<string, AccessRules>> {
    if (documentIds.length === 0) return new Map();
    const ids = this.sql.array([...new Set(documentIds)], 'TEXT');
    const documents = await this.sql<AccessRulesRow[]>`
      SELECT id, created_by, access_scope, access_role, link_token FROM documents WHERE id = ANY(${ids})`;
    const grants = await this.sql<{ document_id: string; user_id: string; role: DocumentRole }[]>`
      SELECT document_id, user_id, role FROM document_grants WHERE document_id = ANY(${ids})`;
    return rulesFromRows(documents, grants);
  }

  async grants(documentId: string): Promise<GrantRecord[]> {
    const rows = await this.sql<{ id: string; name: string; email: string | null; color: string; role: DocumentRole }[]>`
      SELECT u.id, u.name, u.email, u.color, g.role FROM document_grants g JOIN users u ON u.id = g.user_id
      WHERE g.document_id = ${documentId} ORDER BY u.name, u.id`;
    return rows.map(({ role, ...user }) => ({ user, role }));
  }

  async replace(documentId: string, general: GeneralAccess, grants: readonly { userId: string; role: DocumentRole }[]): Promise<boolean> {
    return this.sql.begin(async (tx) => {
      // The row lock orders concurrent replacements of one document, on any instance.
      const updated = await tx`UPDATE documents SET access_scope = ${general.scope}, access_role = ${general.role}
        WHERE id = ${documentId} AND deleted_at IS NULL`;
      if (updated.affectedRows === 0) return false;
      await tx`DELETE FROM document_grants WHERE document_id = ${documentId}`;
      if (grants.length > 0) {
        await tx`INSERT INTO document_grants (document_id, user_id, role)
          SELECT ${documentId}, g.user_id, g.role
          FROM unnest(${tx.array(grants.map((grant) => grant.userId), 'TEXT')}, ${tx.array(grants.map((grant) => grant.role), 'TEXT')}) AS g(user_id, role)`;
      }
      return true;
    });
  }

  async setLinkToken(documentId: string, token: string): Promise<boolean> {
    const result = await this.sql`UPDATE documents SET link_token = ${token} WHERE id = ${documentId} AND deleted_at IS NULL`;
    return result.affectedRows > 0;
  }

  async findByLinkToken(token: string): Promise<string | null> {
    const [row] = await this.sql<{ id: string }[]>`SELECT id FROM documents WHERE link_token = ${token} AND deleted_at IS NULL`;
    return row?.id ?? null;
  }
}
