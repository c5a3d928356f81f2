/**
 * The one file that binds the sync core to Elysia/Bun: checks the upgrade (rate per address,
 * origin, session or secret link, rate per account, the caller's role on the document, the
 * account's seats), wraps Bun's socket in `SyncSocket`, and forwards frames to the connection.
 */
import { randomUUID } from 'node:crypto';
import { Elysia } from 'elysia';
import { CloseCode } from '../../shared/close-codes.ts';
import type { User } from '../../shared/dto.ts';
import { ROLE_UPDATES_PARAM, SYNC_PATH } from '../../shared/protocol.ts';
import type { Config } from '../config.ts';
import { requestShareToken, requestToken } from '../http/auth.ts';
import { forbidden, notFound, problemResponse, tooManyRequests, unauthenticated } from '../http/problem.ts';
import type { Logger } from '../logger.ts';
import { requestIdOf } from '../ops/request-log.ts';
import type { AccessService } from '../modules/access/service.ts';
import type { Session, SessionService } from '../modules/session/service.ts';
import type { AccessSubject } from '../policy/document-access.ts';
import { Connection, type ConnectionAccess, type MessageRateLimit } from './connection.ts';
import { KeyedRateLimiter } from './rate-limit.ts';
import { RoomFullError, type RoomRegistry } from './rooms.ts';
import type { SyncSocket } from './socket.ts';
import { UserSeats, type Seat } from './user-seats.ts';

/** Seconds a refused upgrade is told to wait for a seat (one frees when a connection closes). */
const SEAT_RETRY_AFTER_SECONDS = 10;

export interface SyncRouteDeps {
  config: Config;
  sessions: SessionService;
  rooms: RoomRegistry;
  access: AccessService;
  logger: Logger;
  clientIp: (request: Request) => string;
  /** Counts a socket closed for its message rate (`Metrics.refused`). */
  onRateLimited?: (reason: MessageRateLimit) => void;
}

/** The minimal part of Bun's ServerWebSocket that the adapter uses. */
interface RawSocket {
  sendBinary(data: Uint8Array): number;
  getBufferedAmount(): number;
  close(code?: number, reason?: string): void;
  subscribe(topic: string): void;
  unsubscribe(topic: string): void;
  publishBinary(topic: string, data: Uint8Array): number;
}

/**
 * Whether a browser page from `origin` may open sockets here. Without `ALLOWED_ORIGINS`, only
 * the server's own origins, compared as scheme, host and port: `ownOrigins` are the request's
 * own (its URL, with the scheme a trusted proxy forwarded) and `PUBLIC_URL`'s.
 */
export function originAllowed(origin: string | null, ownOrigins: readonly string[], allowed: string[] | null): boolean {
  if (origin === null) return true; // not a browser: no cross-site hijacking to prevent
  if (allowed !== null) return allowed.includes('*') || allowed.includes(origin);
  try {
    return ownOrigins.includes(new URL(origin).origin);
  } catch {
    return false;
  }
}

/** The origins a request to this server has: its own URL's, as a trusted proxy saw it, and `PUBLIC_URL`'s. */
function ownOriginsOf(request: Request, config: Config): string[] {
  const url = new URL(request.url);
  const origins = [url.origin];
  // Behind a proxy that terminates TLS the request arrives over http: believe the scheme it forwards.
  const forwardedProto = config.trustProxy ? request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() : undefined;
  if (forwardedProto === 'https' || forwardedProto === 'http') origins.push(`${forwardedProto}://${url.host}`);
  if (config.publicUrl) origins.push(new URL(config.publicUrl).origin);
  return origins;
}

/** How a visitor without an account, who opened a secret link, shows in presence. */
function linkVisitor(): User {
  return { id: `visitor-${randomUUID()}`, name: 'Guest', email: '', color: '#8b8d98', role: 'member' };
}

/** What an accepted upgrade hands to its socket. */
interface Accepted {
  user: User;
  /** The session it was opened with, or `link:<token>` for a visitor (a reset link closes it). */
  sessionId: string;
  access: ConnectionAccess;
}

/** Bun's socket as a `SyncSocket`: a class, so an open connection holds one object, not six closures. */
class BunSyncSocket implements SyncSocket {
  constructor(private readonly raw: RawSocket) {}

  send(frame: Uint8Array): boolean {
    // Bun: -1 queued under backpressure, 0 dropped, otherwise bytes sent.
    return this.raw.sendBinary(frame) !== 0;
  }

  bufferedAmount(): number {
    return this.raw.getBufferedAmount();
  }

  close(code?: number, reason?: string): void {
    this.raw.close(code, reason);
  }

  subscribe(topic: string): void {
    this.raw.subscribe(topic);
  }

  unsubscribe(topic: string): void {
    this.raw.unsubscribe(topic);
  }

  publish(topic: string, frame: Uint8Array): void {
    this.raw.publishBinary(topic, frame);
  }
}

/** What Elysia's upgrade leaves on a socket it opened: the upgrade's request context. */
interface UpgradeData {
  request: Request;
  params: { documentId: string };
}

/** Bun's WebSocket handlers, as `Bun.serve({ websocket })` takes them. */
export type SyncSocketHandlers = Required<Pick<Bun.WebSocketHandler<unknown>, 'open' | 'message' | 'drain' | 'close'>>;

/**
 * The `/sync/:documentId` WebSocket endpoint: the Elysia route that checks and upgrades the
 * request, and the socket handlers that must be given to `Bun.serve` (see `socketHandlers`).
 */
export function syncEndpoint(deps: SyncRouteDeps) {
  const { config, sessions, rooms, access, logger } = deps;
  const upgrades = new KeyedRateLimiter(config.limits.connectionsPerSecondPerIp, config.limits.connectionsPerSecondPerIp * 2);
  const userUpgrades = new KeyedRateLimiter(config.limits.connectionsPerSecondPerUser, config.limits.connectionsPerSecondPerUser * 2);
  const seats = new UserSeats(config.limits.maxConnectionsPerUserPerDocument, config.limits.maxConnectionsPerUser);
  const accepted = new WeakMap<Request, Accepted>();
  const seatOf = new WeakMap<object, Seat>();
  const connections = new WeakMap<object, Connection>();
  const limits = {
    maxMessageBytes: config.limits.maxMessageBytes,
    maxStep2Bytes: Math.max(config.limits.maxMessageBytes, config.limits.maxDocumentBytes),
    messagesPerSecond: config.limits.messagesPerSecond,
    maxBufferedBytes: config.limits.maxBufferedBytes,
    maxAwarenessBytes: config.limits.maxAwarenessBytes,
    userMessages: new KeyedRateLimiter(config.limits.messagesPerSecondPerUser, config.limits.messagesPerSecondPerUser * 2),
    awarenessBytesPerSecond: config.limits.awarenessBytesPerSecond,
    onRateLimited: deps.onRateLimited,
  };

  const route = new Elysia({ name: 'sync' }).ws(`${SYNC_PATH}/:documentId`, {
    // Refusals happen before the upgrade, as plain HTTP problems: clients see 401/403/404/429.
    async beforeHandle({ request, params }) {
      // Elysia runs a ws route's beforeHandle twice for an accepted upgrade (as a lifecycle hook,
      // then again from its upgrade handler): check, and charge the rate limit, only once.
      if (accepted.has(request)) return;
      const wait = upgrades.take(deps.clientIp(request));
      if (wait > 0) return problemResponse(tooManyRequests(wait));
      if (!originAllowed(request.headers.get('origin'), ownOriginsOf(request, config), config.allowedOrigins)) {
        return problemResponse(forbidden('this Origin may not open sync connections'));
      }
      const session: Session | null = await sessions.authenticate(requestToken(request, true));
      const shareToken = requestShareToken(request);
      if (!session && !shareToken) return problemResponse(unauthenticated());
      // Visitors with a link are counted by address, as an account is counted by its id.
      const account = session?.user.id ?? `visitor@${deps.clientIp(request)}`;
      // Per account too: one account cannot escape the address limit by coming from many addresses.
      const userWait = userUpgrades.take(account);
      if (userWait > 0) return problemResponse(tooManyRequests(userWait));
      const documentId = params.documentId;
      const subject: AccessSubject = { userId: session?.user.id ?? null, admin: session?.user.role === 'admin', shareToken };
      // No read access looks exactly like no document: existence is not revealed.
      const role = await access.roleFor(documentId, subject);
      if (role === null) return problemResponse(notFound(`no document with id ${documentId}`));
      // Refused before the upgrade (HTTP 429), so stock clients back off and retry; never 4429, which is final.
      const seat = seats.reserve(account, documentId);
      if (seat === 'per-document') {
        return problemResponse(
          tooManyRequests(SEAT_RETRY_AFTER_SECONDS, `This account has ${config.limits.maxConnectionsPerUserPerDocument} connections to this document already (MAX_CONNECTIONS_PER_USER_PER_DOCUMENT).`),
        );
      }
      if (seat === 'overall') {
        return problemResponse(
          tooManyRequests(SEAT_RETRY_AFTER_SECONDS, `This account has ${config.limits.maxConnectionsPerUser} sync connections already (MAX_CONNECTIONS_PER_USER).`),
        );
      }
      seatOf.set(request, seat);
      const roleUpdates = new URL(request.url).searchParams.get(ROLE_UPDATES_PARAM) === '1';
      accepted.set(request, {
        user: session?.user ?? linkVisitor(),
        sessionId: session?.id ?? `link:${shareToken}`,
        access: { role, subject, roleUpdates },
      });
    },
  });

  /**
   * Bun's socket handlers for every socket this route upgraded, given to `Bun.serve` in place of
   * Elysia's: those wrap each frame in an `ElysiaWS` and two async calls, and keep the upgrade's
   * whole request context on the socket for its life (about half of an idle connection's memory).
   * Here a socket keeps only its `Connection`; the context is let go once the socket is open.
   */
  const socketHandlers: SyncSocketHandlers = {
    open(ws) {
      const { request, params } = ws.data as UpgradeData;
      // Nothing of the upgrade's context is needed past this point.
      ws.data = null;
      const upgrade = accepted.get(request);
      const raw = ws as unknown as RawSocket;
      const seat = seatOf.get(request);
      if (seat) {
        seat.claim();
        seatOf.set(ws, seat);
      }
      if (!upgrade) return raw.close(CloseCode.unauthenticated, 'unauthenticated');
      const documentId = params.documentId;
      // Every line about this socket names the upgrade request it came from.
      const log = logger.child({ requestId: requestIdOf(request), documentId, userId: upgrade.user.id });
      const connection = new Connection(new BunSyncSocket(raw), upgrade.user, upgrade.sessionId, documentId, limits, log, upgrade.access);
      connections.set(ws, connection);
      rooms.join(connection).catch((error: unknown) => {
        if (error instanceof RoomFullError) return connection.close(CloseCode.tooMany, 'too many connections to this document');
        log.error('opening a document failed', { error });
        connection.close(CloseCode.internalError, 'could not open the document');
      });
    },
    message(ws, message) {
      connections.get(ws)?.receive(message);
    },
    drain(ws) {
      connections.get(ws)?.drained();
    },
    close(ws) {
      seatOf.get(ws)?.release();
      connections.get(ws)?.closed();
      connections.delete(ws);
    },
  };
  return { route, socketHandlers };
}
