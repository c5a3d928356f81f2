/** The accounts, invites and sessions part of the SQLite `Store` (one writer: transactions are atomic). */
import type { Database } from 'bun:sqlite';
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

/** Thrown inside a transaction to roll it back with an answer. */
class Refusal {
  constructor(readonly result: CreateAccountResult) {}
}

/** Accounts, invites and sessions in SQLite. */
export class SqliteAccounts implements AccountStore {
  constructor(private readonly db: Database) {}

  async createAccount(account: NewAccount, admission: Admission): Promise<CreateAccountResult> {
    try {
      return this.db.transaction((): CreateAccountResult => {
        if (admission.kind === 'first' && this.db.query('SELECT 1 FROM users WHERE email IS NOT NULL LIMIT 1').get() !== null) {
          return { status: 'not-first' };
        }
        const inserted = this.db
          .query(
            `INSERT INTO users (id, email, name, color, role, disabled, password_hash, created_at)
             VALUES (?, ?, ?, ?, ?, 0, ?, ?) ON CONFLICT (email) DO NOTHING`,
          )
          .run(account.id, account.email.toLowerCase(), account.name, account.color, account.role, account.passwordHash, account.createdAt);
        if (inserted.changes === 0) return { status: 'email-taken' };
        if (admission.kind === 'invite') {
          const used = this.db
            .query('UPDATE invites SET used_by = ?, used_at = ? WHERE code = ? AND used_at IS NULL AND expires_at > ?')
            .run(account.id, admission.now, admission.code, admission.now);
          if (used.changes === 0) throw new Refusal({ status: 'invite-unusable' });
        }
        return { status: 'created', account: this.getAccountNow(account.id)! };
      })();
    } catch (error) {
      if (error instanceof Refusal) return error.result;
      throw error;
    }
  }

  async getAccount(id: string): Promise<AccountRecord | null> {
    return this.getAccountNow(id);
  }

  async findAccountByEmail(email: string): Promise<AccountRecord | null> {
    const row = this.db.query(`SELECT ${ACCOUNT_COLUMNS} FROM users WHERE email = ?`).get(email.toLowerCase()) as AccountRow | null;
    return row ? accountFromRow(row) : null;
  }

  async countAccounts(): Promise<number> {
    return (this.db.query('SELECT COUNT(*) AS n FROM users WHERE email IS NOT NULL').get() as { n: number }).n;
  }

  async listAccounts(query: ListAccountsQuery): Promise<AccountRecord[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (query.activeOnly) where.push('disabled = 0 AND email IS NOT NULL');
    if (query.contains) {
      where.push("(name LIKE ? ESCAPE '\\' OR email LIKE ? ESCAPE '\\')");
      params.push(likePattern(query.contains), likePattern(query.contains.toLowerCase()));
    }
    const rows = this.db
      .query(`SELECT ${ACCOUNT_COLUMNS} FROM users ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY name, id LIMIT ?`)
      .all(...params, query.limit) as AccountRow[];
    return rows.map(accountFromRow);
  }

  async updateAccount(id: string, changes: AccountChanges): Promise<UpdateAccountResult> {
    return this.db.transaction((): UpdateAccountResult => {
      const current = this.getAccountNow(id);
      if (!current) return { status: 'not-found' };
      if (removesAdmin(current, changes)) {
        const others = this.db
          .query("SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND disabled = 0 AND id <> ?")
          .get(id) as { n: number };
        if (others.n === 0) return { status: 'last-admin' };
      }
      this.db
        .query(
          `UPDATE users SET name = COALESCE(?, name), color = COALESCE(?, color), role = COALESCE(?, role),
             disabled = COALESCE(?, disabled), password_hash = COALESCE(?, password_hash) WHERE id = ?`,
        )
        .run(
          changes.name ?? null,
          changes.color ?? null,
          changes.role ?? null,
          changes.disabled === undefined ? null : Number(changes.disabled),
          changes.passwordHash ?? null,
          id,
        );
      return { status: 'updated', account: this.getAccountNow(id)! };
    })();
  }

  async createInvite(invite: NewInvite): Promise<void> {
    this.db
      .query('INSERT INTO invites (code, email, role, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(invite.code, invite.email?.toLowerCase() ?? null, invite.role, invite.createdBy, invite.createdAt, invite.expiresAt);
  }

  async getInvite(code: string, now: number): Promise<InviteRecord | null> {
    const row = this.db
      .query(
        `SELECT i.code, i.email, i.role, i.created_at, i.expires_at, u.id AS inviter_id, u.name AS inviter_name
         FROM invites i JOIN users u ON u.id = i.created_by WHERE i.code = ? AND i.used_at IS NULL AND i.expires_at > ?`,
      )
      .get(code, now) as InviteRow | null;
    return row ? inviteFromRow(row) : null;
  }

  async createSession(session: { id: string; userId: string; expiresAt: number }): Promise<void> {
    this.db.query('INSERT INTO sessions (id, user_id, expires_at) VALUES (?, ?, ?)').run(session.id, session.userId, session.expiresAt);
  }

  async getSession(id: string, now: number): Promise<SessionRecord | null> {
    const row = this.db
      .query(
        `SELECT s.id, s.expires_at, u.id AS user_id, u.name, u.email, u.color, u.role FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.id = ? AND s.expires_at > ? AND u.disabled = 0 AND u.email IS NOT NULL`,
      )
      .get(id, now) as { id: string; expires_at: number; user_id: string; name: string; email: string; color: string; role: Role } | null;
    if (!row) return null;
    return { id: row.id, expiresAt: row.expires_at, user: sessionUser(row) };
  }

  async deleteSession(id: string): Promise<void> {
    this.db.query('DELETE FROM sessions WHERE id = ?').run(id);
  }

  async deleteAccountSessions(userId: string, exceptSessionId: string | null): Promise<number> {
    return this.db.query('DELETE FROM sessions WHERE user_id = ? AND id IS NOT ?').run(userId, exceptSessionId).changes;
  }

  async deleteExpiredSessions(now: number): Promise<number> {
    return this.db.query('DELETE FROM sessions WHERE expires_at <= ?').run(now).changes;
  }

  private getAccountNow(id: string): AccountRecord | null {
    const row = this.db.query(`SELECT ${ACCOUNT_COLUMNS} FROM users WHERE id = ?`).get(id) as AccountRow | null;
    return row ? accountFromRow(row) : null;
  }
}
