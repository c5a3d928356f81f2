/**
 * Sessions: issued to an account once it proved who it is (`AccountService`), checked on every
 * request and socket, ended by sign-out, a disabled account or a password change, and purged
 * once expired. Never sees a request object.
 */
import { randomBytes } from 'node:crypto';
import type { User } from '../../../shared/dto.ts';
import type { Store } from '../../storage/store.ts';
import type { EndedSessions } from './live-sessions.ts';
import { signToken, verifyToken } from './token.ts';

/** An authenticated caller. */
export interface Session {
  id: string;
  user: User;
  token: string;
  expiresAt: number;
}

/** Told when sessions end, to close what they hold open (`LiveSessions`). */
export interface SessionEndListener {
  ended(ended: EndedSessions): void;
}

/** How often expired sessions are deleted while the server runs. */
const PURGE_INTERVAL_MS = 60 * 60 * 1000;

/** Issues, checks and ends sessions. */
export class SessionService {
  private purgeTimer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly store: Store,
    private readonly secret: string,
    private readonly ttlSeconds: number,
    private readonly listener: SessionEndListener | null = null,
  ) {}

  /** A new session for an account that has proved who it is. */
  async issue(user: User): Promise<Session> {
    const id = randomBytes(18).toString('base64url');
    const expiresAt = Date.now() + this.ttlSeconds * 1000;
    await this.store.accounts.createSession({ id, userId: user.id, expiresAt });
    return { id, user, expiresAt, token: signToken(this.secret, { sessionId: id, expiresAt }) };
  }

  /** The live session a token stands for, or null (forged, tampered, expired, signed out, account disabled). */
  async authenticate(token: string | null | undefined): Promise<Session | null> {
    if (!token) return null;
    const now = Date.now();
    const claims = verifyToken(this.secret, token, now);
    if (!claims) return null;
    const record = await this.store.accounts.getSession(claims.sessionId, now);
    if (!record) return null;
    return { id: record.id, user: record.user, expiresAt: record.expiresAt, token };
  }

  /** Ends one session: its token stops working and its sockets and streams close. */
  async signOut(session: Session): Promise<void> {
    await this.store.accounts.deleteSession(session.id);
    this.listener?.ended({ sessionId: session.id });
  }

  /** Ends every session of an account but `exceptSessionId` (password change, disabled account). */
  async endAccountSessions(userId: string, exceptSessionId: string | null): Promise<void> {
    await this.store.accounts.deleteAccountSessions(userId, exceptSessionId);
    this.listener?.ended({ userId, exceptSessionId });
  }

  /** Deletes expired sessions; returns how many. */
  purgeExpired(now = Date.now()): Promise<number> {
    return this.store.accounts.deleteExpiredSessions(now);
  }

  /** Purges now, then every hour until `stopPurging`. */
  async startPurging(onError: (error: unknown) => void): Promise<void> {
    const purge = () => this.purgeExpired().catch(onError);
    await purge();
    this.purgeTimer ??= setInterval(purge, PURGE_INTERVAL_MS);
    this.purgeTimer.unref?.();
  }

  stopPurging(): void {
    if (this.purgeTimer) clearInterval(this.purgeTimer);
    this.purgeTimer = null;
  }
}
