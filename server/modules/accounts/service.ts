/**
 * Accounts and how people prove who they are: creating an account (the first one freely, as
 * admin; then by invite, or by anyone when registration is open), signing in with a password or
 * a verified email from single sign-on, and changing the password. Never sees a request.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { AuthConfig, Role } from '../../../shared/dto.ts';
import type { Registration } from '../../config.ts';
import { conflict, forbidden, tooManyRequests, unauthenticated } from '../../http/problem.ts';
import type { AccountRecord, Admission, NewAccount, Store } from '../../storage/store.ts';
import type { Session, SessionService } from '../session/service.ts';
import { COLORS, MAX_NAME_LENGTH, checkEmail, checkName, checkPassword, userOf } from './model.ts';
import type { PasswordHasher } from './passwords.ts';
import type { SignInThrottle } from './throttle.ts';

/** The one answer to a failed sign-in, whether the email is unknown or the password wrong. */
export const WRONG_CREDENTIALS = 'Wrong email or password.';

/** What `POST /api/accounts` carries. */
export interface SignUp {
  email: string;
  name: string;
  password: string;
  invite?: string;
}

/** What single sign-on has established about a person. */
export interface VerifiedIdentity {
  /** An email the identity provider has verified. */
  email: string;
  /** A display name to start with (cut to 64 characters; the email's local part if blank). */
  name: string;
  /** An invite code the person followed, if any. */
  invite?: string;
}

/** How an account may be admitted, and with what role. */
type Admit = { admission: Admission; role: Role } | { refused: string };

function randomColor(): string {
  return COLORS[randomBytes(1)[0]! % COLORS.length]!;
}

/** Creates accounts and signs people in. */
export class AccountService {
  constructor(
    private readonly store: Store,
    private readonly sessions: SessionService,
    private readonly passwords: PasswordHasher,
    private readonly throttle: SignInThrottle,
    readonly registration: Registration,
  ) {}

  /** What the sign-in screen should offer. */
  async authConfig(oidc: boolean): Promise<AuthConfig> {
    return { registration: this.registration, needsFirstAccount: (await this.store.accounts.countAccounts()) === 0, oidc };
  }

  /** Creates an account with a password and signs it in; 403 when not allowed, 409 when the email is taken. */
  async register(input: SignUp): Promise<Session> {
    const email = checkEmail(input.email);
    const name = checkName(input.name);
    checkPassword(input.password);
    const passwordHash = await this.passwords.hash(input.password);
    const account = await this.create({ id: randomUUID(), email, name, color: randomColor(), passwordHash, createdAt: Date.now() }, input.invite);
    if (typeof account === 'string') throw account === 'email-taken' ? conflict('An account with this email exists already: sign in instead.') : forbidden(account);
    return this.sessions.issue(userOf(account));
  }

  /**
   * Signs in with email and password. Unknown email and wrong password get the same 401 after
   * the same work; 429 after 5 failures in a minute for this email from this address; 403 for a
   * disabled account (only once the password was right).
   */
  async signIn(email: string, password: string, clientAddress: string): Promise<Session> {
    const key = email.trim().toLowerCase();
    const wait = this.throttle.wait(key, clientAddress);
    if (wait > 0) throw tooManyRequests(wait);
    const account = await this.store.accounts.findAccountByEmail(key);
    if (!(await this.passwords.verify(password, account?.passwordHash ?? null)) || !account) {
      this.throttle.failed(key, clientAddress);
      throw unauthenticated(WRONG_CREDENTIALS);
    }
    this.throttle.succeeded(key, clientAddress);
    if (account.disabled) throw forbidden('This account is disabled: ask an admin to enable it.');
    return this.sessions.issue(userOf(account));
  }

  /**
   * Single sign-on: the account with this (verified) email, created if registration allows
   * (the first account, an invite, or REGISTRATION=open), signed in. An account made this way
   * has no password.
   */
  async signInWithVerifiedEmail(identity: VerifiedIdentity): Promise<Session | 'registration-closed' | 'account-disabled'> {
    const email = identity.email.trim().toLowerCase();
    const found = await this.store.accounts.findAccountByEmail(email);
    if (found) return found.disabled ? 'account-disabled' : this.sessions.issue(userOf(found));
    const cleaned = identity.name.replace(/[\u0000-\u001f\u007f]/g, '').trim();
    const name = [...(cleaned || email.split('@')[0] || email)].slice(0, MAX_NAME_LENGTH).join('');
    const created = await this.create({ id: randomUUID(), email, name, color: randomColor(), passwordHash: null, createdAt: Date.now() }, identity.invite);
    if (created === 'email-taken') return this.signInWithVerifiedEmail(identity); // made meanwhile by another request
    if (typeof created === 'string') return 'registration-closed';
    return this.sessions.issue(userOf(created));
  }

  /** Changes the password after checking the current one, and ends every other session of the account. */
  async changePassword(session: Session, current: string, next: string, clientAddress: string): Promise<void> {
    checkPassword(next, 'next');
    const key = session.user.email;
    const wait = this.throttle.wait(key, clientAddress);
    if (wait > 0) throw tooManyRequests(wait);
    const account = await this.store.accounts.getAccount(session.user.id);
    if (!account) throw unauthenticated();
    if (account.passwordHash === null) throw forbidden('This account signs in through single sign-on and has no password.');
    if (!(await this.passwords.verify(current, account.passwordHash))) {
      this.throttle.failed(key, clientAddress);
      throw forbidden('The current password is wrong.');
    }
    this.throttle.succeeded(key, clientAddress);
    await this.store.accounts.updateAccount(account.id, { passwordHash: await this.passwords.hash(next) });
    await this.sessions.endAccountSessions(account.id, session.id);
  }

  /** Creates the account if admitted: the created record, 'email-taken', or why it was refused. */
  private async create(account: Omit<NewAccount, 'role'>, invite: string | undefined): Promise<AccountRecord | string> {
    for (;;) {
      const admit = await this.admit(account.email, invite);
      if ('refused' in admit) return admit.refused;
      const result = await this.store.accounts.createAccount({ ...account, role: admit.role }, admit.admission);
      switch (result.status) {
        case 'created':
          return result.account;
        case 'email-taken':
          return 'email-taken';
        case 'invite-unusable':
          return 'This invite was used already or has expired.';
        case 'not-first':
          continue; // another account came first meanwhile: decide again under the rules for the rest
      }
    }
  }

  private async admit(email: string, code: string | undefined): Promise<Admit> {
    if ((await this.store.accounts.countAccounts()) === 0) return { admission: { kind: 'first' }, role: 'admin' };
    if (this.registration === 'closed') return { refused: 'Registration is closed: an admin creates no new accounts here.' };
    if (code !== undefined) {
      const now = Date.now();
      const invite = await this.store.accounts.getInvite(code, now);
      if (!invite) return { refused: 'This invite is unknown, was used already or has expired.' };
      if (invite.email !== null && invite.email !== email) return { refused: 'This invite is for another email address.' };
      return { admission: { kind: 'invite', code, now }, role: invite.role };
    }
    if (this.registration === 'open') return { admission: { kind: 'open' }, role: 'member' };
    return { refused: 'Creating an account needs an invite from an admin.' };
  }
}
