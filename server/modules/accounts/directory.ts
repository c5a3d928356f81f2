/**
 * People: the list to share with, profiles, what admins change about accounts, and invites.
 * Never sees a request.
 */
import { randomBytes } from 'node:crypto';
import type { InviteCreated, InviteDetails, Role, User, UserSummary } from '../../../shared/dto.ts';
import type { Registration } from '../../config.ts';
import { conflict, forbidden, notFound, unauthenticated } from '../../http/problem.ts';
import type { AccountRecord, Store } from '../../storage/store.ts';
import type { SessionService } from '../session/service.ts';
import { checkEmail, checkName, identityOf, userOf } from './model.ts';
import { canManageAccounts, requireAccountManager } from './policy.ts';
import type { LiveSessions } from '../session/live-sessions.ts';

const INVITE_LIFETIME_MS = 7 * 24 * 3600 * 1000;

function summaryFor(viewer: User, account: AccountRecord): UserSummary {
  const summary: UserSummary = { id: account.id, name: account.name, email: account.email, color: account.color };
  return canManageAccounts(viewer) ? { ...summary, role: account.role, disabled: account.disabled } : summary;
}

/** Lists and changes accounts; issues invites. */
export class UserDirectory {
  constructor(
    private readonly store: Store,
    private readonly sessions: SessionService,
    private readonly live: Pick<LiveSessions, 'profileChanged'>,
    private readonly registration: Registration,
    /** Told when an account becomes or stops being an admin (owner of every document). */
    private readonly access: { adminChanged(userId: string, admin: boolean): void } | null = null,
  ) {}

  /**
   * Admins: every account, with role and disabled. Everyone else: the enabled accounts to share
   * with. Filtered by name or email, ordered by name.
   */
  async list(viewer: User, q: string | undefined, limit: number): Promise<UserSummary[]> {
    const accounts = await this.store.accounts.listAccounts({ contains: q?.trim() || null, activeOnly: !canManageAccounts(viewer), limit });
    return accounts.map((account) => summaryFor(viewer, account));
  }

  /** Changes the caller's own name or colour; their open connections show them from their next announcement. */
  async updateProfile(user: User, changes: { name?: string; color?: string }): Promise<User> {
    const name = changes.name === undefined ? undefined : checkName(changes.name);
    const result = await this.store.accounts.updateAccount(user.id, { name, color: changes.color?.toLowerCase() });
    if (result.status !== 'updated') throw unauthenticated();
    this.live.profileChanged(identityOf(result.account));
    return userOf(result.account);
  }

  /** An admin changes an account's role or disables it; disabling ends its sessions everywhere. */
  async update(admin: User, id: string, changes: { role?: Role; disabled?: boolean }): Promise<UserSummary> {
    requireAccountManager(admin, 'change roles or disable accounts');
    const result = await this.store.accounts.updateAccount(id, changes);
    if (result.status === 'not-found') throw notFound(`no account with id ${id}`);
    if (result.status === 'last-admin') {
      throw conflict('This is the last active admin: make another account admin before demoting or disabling this one.');
    }
    if (changes.disabled) await this.sessions.endAccountSessions(id, null);
    else if (changes.role !== undefined) this.access?.adminChanged(id, changes.role === 'admin');
    return summaryFor(admin, result.account);
  }

  /** An admin invites someone (anyone with the link, or only `email`) with a role; single use, for 7 days. */
  async invite(admin: User, input: { email?: string; role: Role }, baseUrl: string): Promise<InviteCreated> {
    requireAccountManager(admin, 'invite people');
    if (this.registration === 'closed') throw forbidden('Registration is closed (REGISTRATION=closed): invites cannot be used.');
    const code = randomBytes(18).toString('base64url');
    const createdAt = Date.now();
    const expiresAt = createdAt + INVITE_LIFETIME_MS;
    const email = input.email === undefined ? null : checkEmail(input.email);
    await this.store.accounts.createInvite({ code, email, role: input.role, createdBy: admin.id, createdAt, expiresAt });
    return { code, url: `${baseUrl.replace(/\/+$/, '')}/join/${code}`, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** Who invited, for whom, with what role: 404 when unknown, used, expired, or registration is closed. */
  async inviteDetails(code: string): Promise<InviteDetails> {
    const invite = this.registration === 'closed' ? null : await this.store.accounts.getInvite(code, Date.now());
    if (!invite) throw notFound('This invite is unknown, was used already or has expired.');
    return { invitedBy: invite.invitedBy, email: invite.email, role: invite.role, expiresAt: new Date(invite.expiresAt).toISOString() };
  }
}
