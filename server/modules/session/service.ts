/** Sign-in, sign-out and authentication of requests and sockets. Never sees a request object. */
import { randomBytes, randomUUID } from 'node:crypto';
import type { User } from '../../../shared/dto.ts';
import type { Store } from '../../storage/store.ts';
import { signToken, verifyToken } from './token.ts';

/** Caret and avatar colours, readable on white. */
const COLORS = ['#e5484d', '#f76b15', '#ad7f00', '#30a46c', '#0d9488', '#0090ff', '#3e63dd', '#8e4ec6', '#d6409f', '#6e56cf'];

/** An authenticated caller. */
export interface Session {
  id: string;
  user: User;
  token: string;
  expiresAt: number;
}

/** Issues and checks sessions. */
export class SessionService {
  constructor(
    private readonly store: Store,
    private readonly secret: string,
    private readonly ttlSeconds: number,
  ) {}

  /**
   * Signs in under a display name. A caller already signed in keeps their identity (so their
   * history stays theirs) and only changes their name.
   */
  async signIn(name: string, current: Session | null): Promise<Session> {
    const user: User = current
      ? { ...current.user, name }
      : { id: randomUUID(), name, color: COLORS[randomBytes(1)[0]! % COLORS.length]! };
    await this.store.saveUser(user);
    if (current) await this.store.deleteSession(current.id);
    const id = randomBytes(18).toString('base64url');
    const expiresAt = Date.now() + this.ttlSeconds * 1000;
    await this.store.createSession({ id, userId: user.id, expiresAt });
    return { id, user, expiresAt, token: signToken(this.secret, { sessionId: id, expiresAt }) };
  }

  /** The live session a token stands for, or null (forged, tampered, expired or signed out). */
  async authenticate(token: string | null | undefined): Promise<Session | null> {
    if (!token) return null;
    const now = Date.now();
    const claims = verifyToken(this.secret, token, now);
    if (!claims) return null;
    const record = await this.store.getSession(claims.sessionId, now);
    if (!record) return null;
    return { id: record.id, user: record.user, expiresAt: record.expiresAt, token };
  }

  async signOut(session: Session): Promise<void> {
    await this.store.deleteSession(session.id);
  }
}
