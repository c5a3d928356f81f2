/**
 * The accounts, invites and sessions part of the PostgreSQL `Store`. The rules that span rows
 * (only the first account is created freely; one enabled admin always remains) hold across
 * instances: such changes queue on one advisory lock per schema.
 */
import type { SQL } from 'bun';
import type { Role } from '../../shared/dto.ts';
import { ACCOUNT_COLUMNS, accountFromRow, inviteFromRow, likePattern, removesAdmin, sessionUser, type AccountRow, type InviteRow } from './rows.ts';
import type {
  AccountChanges,
  AccountStore,
  AccountRecord,
  Admission,
  CreateAccountResult,
  InviteRecord,
  ListAccountsQuery,
  NewAccount,
  NewInvite,
  SessionRecord,
  UpdateAccountResult,
} from './store.ts';

const ACCOUNTS_LOCK = 0x51554903;

/** Thrown inside a transaction to roll it back with an answer. */
class Refusal {
  constructor(readonly result: CreateAccountResult) {}
}

async function lockAccounts(tx: SQL): Promise<void> {
  await tx`SELECT pg_advisory_xact_lock(${ACCOUNTS_LOCK}, hashtext(current_schema()))`;
}

async function selectAccount(sql: SQL, id: string): Promise<AccountRecord | null> {
  const [row] = await sql<AccountRow[]>`SELECT ${sql.unsafe(ACCOUNT_COLUMNS)} FROM users WHERE id = ${id}`;
  return row ? accountFromRow(row) : null;
}

/** Accounts, invites and sessions in PostgreSQL. */
export class PostgresAccounts implements AccountStore {
  constructor(private readonly sql: SQL) {}

  async createAccount(account: NewAccount, admission: Admission): Promise<CreateAccountResult> {
    try {
      return await this.sql.begin(async (tx): Promise<CreateAccountResult> => {
        if (admission.kind === 'first') {
          await lockAccounts(tx);
          const [existing] = await tx`SELECT 1 FROM users WHERE email IS NOT NULL LIMIT 1`;
          if (existing) return { status: 'not-first' };
        }
        const inserted = await tx`INSERT INTO users (id, email, name, color, role, disabled, password_hash, created_at)
          VALUES (${account.id}, ${account.email.toLowerCase()}, ${account.name}, ${account.color}, ${account.role}, FALSE,
            ${account.passwordHash}, ${account.createdAt})
          ON CONFLICT (email) DO NOTHING RETURNING id`;
        if (inserted.length === 0) return { status: 'email-taken' };
        if (admission.kind === 'invite') {
          // The row lock makes a second use wait for this one, then find it used.
          const used = await tx`UPDATE invites SET used_by = ${account.id}, used_at = ${admission.now}
            WHERE code = ${admission.code} AND used_at IS NULL AND expires_at > ${admission.now} RETURNING code`;
          if (used.length === 0) throw new Refusal({ status: 'invite-unusable' });
        }
        return { status: 'created', account: (await selectAccount(tx, account.id))! };
      });
    } catch (error) {
      if (error instanceof Refusal) return error.result;
      throw error;
    }
  }

  getAccount(id: string): Promise<AccountRecord | null> {
    return selectAccount(this.sql, id);
  }

  async findAccountByEmail(email: string): Promise<AccountRecord | null> {
    const sql = this.sql;
    const [row] = await sql<AccountRow[]>`SELECT ${sql.unsafe(ACCOUNT_COLUMNS)} FROM users WHERE email = ${email.toLowerCase()}`;
    return row ? accountFromRow(row) : null;
  }

  async countAccounts(): Promise<number> {
    const [row] = await this.sql<{ n: string }[]>`SELECT COUNT(*) AS n FROM users WHERE email IS NOT NULL`;
    return Number(row!.n);
  }

  async listAccounts(query: ListAccountsQuery): Promise<AccountRecord[]> {
    const sql = this.sql;
    const active = query.activeOnly ? sql`AND NOT disabled AND email IS NOT NULL` : sql``;
    const contains = query.contains
      ? sql`AND (name ILIKE ${likePattern(query.contains)} ESCAPE '\\' OR email ILIKE ${likePattern(query.contains)} ESCAPE '\\')`
      : sql``;
    const rows = await sql<AccountRow[]>`SELECT ${sql.unsafe(ACCOUNT_COLUMNS)} FROM users WHERE TRUE ${active} ${contains}
      ORDER BY name, id LIMIT ${query.limit}`;
    return rows.map(accountFromRow);
  }

  async updateAccount(id: string, changes: AccountChanges): Promise<UpdateAccountResult> {
    return this.sql.begin(async (tx): Promise<UpdateAccountResult> => {
      // Two admins demoting each other at once on two instances: the second sees the first's change.
      if (changes.role !== undefined || changes.disabled !== undefined) await lockAccounts(tx);
      const current = await selectAccount(tx, id);
      if (!current) return { status: 'not-found' };
      if (removesAdmin(current, changes)) {
        const [others] = await tx<{ n: string }[]>`SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND NOT disabled AND id <> ${id}`;
        if (Number(others!.n) === 0) return { status: 'last-admin' };
      }
      await tx`UPDATE users SET name = COALESCE(${changes.name ?? null}, name), color = COALESCE(${changes.color ?? null}, color),
        role = COALESCE(${changes.role ?? null}, role), disabled = COALESCE(${changes.disabled ?? null}::boolean, disabled),
        password_hash = COALESCE(${changes.passwordHash ?? null}, password_hash) WHERE id = ${id}`;
      return { status: 'updated', account: (await selectAccount(tx, id))! };
    });
  }

  async createInvite(invite: NewInvite): Promise<void> {
    await this.sql`INSERT INTO invites (code, email, role, created_by, created_at, expires_at)
      VALUES (${invite.code}, ${invite.email?.toLowerCase() ?? null}, ${invite.role}, ${invite.createdBy}, ${invite.createdAt}, ${invite.expiresAt})`;
  }

  async getInvite(code: string, now: number): Promise<InviteRecord | null> {
    const [row] = await this.sql<InviteRow[]>`
      SELECT i.code, i.email, i.role, i.created_at, i.expires_at, u.id AS inviter_id, u.name AS inviter_name
      FROM invites i JOIN users u ON u.id = i.created_by WHERE i.code = ${code} AND i.used_at IS NULL AND i.expires_at > ${now}`;
    return row ? inviteFromRow(row) : null;
  }

  async createSession(session: { id: string; userId: string; expiresAt: number }): Promise<void> {
    await this.sql`INSERT INTO sessions (id, user_id, expires_at) VALUES (${session.id}, ${session.userId}, ${session.expiresAt})`;
  }

  async getSession(id: string, now: number): Promise<SessionRecord | null> {
    const [row] = await this.sql<{ id: string; expires_at: string; user_id: string; name: string; email: string; color: string; role: Role }[]>`
      SELECT s.id, s.expires_at, u.id AS user_id, u.name, u.email, u.color, u.role
      FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id = ${id} AND s.expires_at > ${now} AND NOT u.disabled AND u.email IS NOT NULL`;
    if (!row) return null;
    return { id: row.id, expiresAt: Number(row.expires_at), user: sessionUser(row) };
  }

  async deleteSession(id: string): Promise<void> {
    await this.sql`DELETE FROM sessions WHERE id = ${id}`;
  }

  async deleteAccountSessions(userId: string, exceptSessionId: string | null): Promise<number> {
    const result = await this.sql`DELETE FROM sessions WHERE user_id = ${userId} AND id IS DISTINCT FROM ${exceptSessionId}`;
    return result.affectedRows ?? result.count ?? 0;
  }

  async deleteExpiredSessions(now: number): Promise<number> {
    const result = await this.sql`DELETE FROM sessions WHERE expires_at <= ${now}`;
    return result.affectedRows ?? result.count ?? 0;
  }
}
