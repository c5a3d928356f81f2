/**
 * Every environment variable Quire reads, validated in one place. Everything else takes a
 * `Config`, so tests build servers with any settings (port 0, a temporary data directory).
 */
import { availableParallelism } from 'node:os';
import { ACCESS_SCOPES, GENERAL_ROLES, type AccessScope, type GeneralAccess, type GeneralRole } from '../shared/dto.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** Who may create an account once the first exists (see `AccountService`). */
export type Registration = 'invite' | 'open' | 'closed';

/** argon2id cost: Bun's default, or the least Bun allows (tests and benchmarks only). */
export type PasswordHashCost = 'default' | 'low';

/** OpenID Connect single sign-on, when all three variables are set. */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/** Resource limits; each has a safe default and an environment variable. */
export interface Limits {
  /** Largest accepted WebSocket frame, bytes. */
  maxMessageBytes: number;
  /** Largest stored document state, bytes. */
  maxDocumentBytes: number;
  /** Open sync connections per document. */
  maxConnectionsPerDocument: number;
  /** Sync messages a connection may send per second (bursts of up to twice the rate). */
  messagesPerSecond: number;
  /** New sync connections per client IP per second. */
  connectionsPerSecondPerIp: number;
  /** Sign-in and account-creation attempts per client IP per minute. */
  sessionsPerMinutePerIp: number;
  /** Largest accepted HTTP request body, bytes. */
  maxBodyBytes: number;
  /** Largest image one may upload into a document, bytes (the upload route's own body limit). */
  maxAttachmentBytes: number;
  /** Largest file one may import as a document, bytes (the import route's own body limit). */
  maxImportBytes: number;
  /** Bytes a slow WebSocket reader may have queued before it is closed. */
  maxBufferedBytes: number;
  /** Largest awareness state (cursor, name...) one client may announce, bytes of JSON. */
  maxAwarenessBytes: number;
  /** Deepest nesting of blocks a document may have (lists and tables need a few dozen at most). */
  maxNestingDepth: number;
  /** Most nodes (blocks and text runs) a document may have. */
  maxDocumentNodes: number;
  /** Sync connections one account may hold to one document (always fewer than `maxConnectionsPerDocument`). */
  maxConnectionsPerUserPerDocument: number;
  /** Sync connections one account may hold in all, on this instance. */
  maxConnectionsPerUser: number;
  /** New sync connections per account per second (as well as per client address). */
  connectionsPerSecondPerUser: number;
  /** Sync messages per account per second, all of its connections together (bursts of twice the rate). */
  messagesPerSecondPerUser: number;
  /** Bytes of awareness states a document holds in all: bounds what a joiner is sent. */
  maxDocumentAwarenessBytes: number;
  /** Bytes of awareness state changes a connection may have applied per second (bursts of twice the rate). */
  awarenessBytesPerSecond: number;
  /** Open activity streams per session. */
  maxStreamsPerSession: number;
  /** Open activity streams per account. */
  maxStreamsPerUser: number;
  /** Longest a render of the content route may take in its worker, ms; past it the answer is 422. */
  maxRenderMs: number;
  /** Renders that may wait for a free render worker; past it the answer is 503. */
  maxRenderQueue: number;
  /** Renders one account may have running or waiting; past it the answer is 429. */
  maxRendersPerUser: number;
}

/** Which proxies' `X-Forwarded-For` to believe: a number of hops in front of Quire, or their addresses. */
export type TrustProxy = { hops: number } | { cidrs: string[] } | null;

/** Server configuration. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  redisUrl: string | null;
  /** Null: generate one and keep it in `dataDir`. */
  sessionSecret: string | null;
  /** Null: same origin only. */
  allowedOrigins: string[] | null;
  /** The address people use to reach Quire (behind a proxy, say); its host is always accepted. */
  publicUrl: string | null;
  /** `Host` names requests may carry; null: localhost names and this machine's own names and addresses. */
  allowedHosts: string[] | null;
  /** `TRUST_PROXY`: null believes no `X-Forwarded-For` (the client is the socket's peer). */
  trustProxy: TrustProxy;
  logLevel: LogLevel;
  /** Session lifetime, seconds. */
  sessionTtlSeconds: number;
  /** Who may create accounts after the first. */
  registration: Registration;
  /** `DEFAULT_ACCESS` (`workspace:editor`): the general access a new document starts with. */
  defaultAccess: GeneralAccess;
  /** `HISTORY=off`: no revision is captured or stored (the benchmark's baseline for what history costs). */
  history: boolean;
  /** Every revision is kept this long; older edit revisions are thinned to one an hour, after 90 days one a day. */
  revisionRetentionDays: number;
  /** Deleted documents stay in the trash this long, then go for good. */
  trashRetentionDays: number;
  passwordHashCost: PasswordHashCost;
  /** Null: single sign-on is off. */
  oidc: OidcConfig | null;
  /** Compact a document's update log once it holds this many updates. */
  compactAfterUpdates: number;
  /** Activity bursts end after this long without an edit from the same user, ms. */
  activityIdleMs: number;
  /** ... or after this long in all, ms. */
  activityMaxSpanMs: number;
  /** A sync connection that heard nothing for this long gets a keep-alive frame, ms. */
  syncKeepAliveMs: number;
  /** An open document nobody changed for this long lets go of its Y.Doc and is served from its bytes, ms. */
  documentUnloadAfterMs: number;
  /** Interval of SSE comment heartbeats, ms. */
  sseHeartbeatMs: number;
  /** A graceful stop (SIGTERM) that has not finished after this long gives up and exits 1, ms. */
  shutdownTimeoutMs: number;
  /** How often the search index catches up with edits, ms (each changed document is indexed once per round). */
  searchIndexIntervalMs: number;
  /** Directory of the built client to serve; null serves no client. */
  clientDir: string | null;
  /** SQLite's `synchronous` setting: NORMAL survives a process crash, FULL also a power cut. */
  sqliteSynchronous: 'NORMAL' | 'FULL';
  /** Worker threads that render the content route (off the event loop); one core is left to it. */
  renderWorkers: number;
  /** `METRICS_TOKEN`: when set, `GET /metrics` requires `Authorization: Bearer <it>`; null: open. */
  metricsToken: string | null;
  limits: Limits;
}

/** Thrown when an environment variable holds a value Quire cannot use. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `expected a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) {
    throw new ConfigError(name, `expected a number from ${min} to ${max}, got ${value}`);
  }
  return value;
}

function readString(env: Env, name: string): string | null {
  const raw = env[name]?.trim();
  return raw ? raw : null;
}

function readUrl(env: Env, name: string, protocols: readonly string[]): string | null {
  const raw = readString(env, name);
  if (raw === null) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `not a valid URL`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(name, `expected a ${protocols.join(' or ')} URL, got ${url.protocol}`);
  }
  return raw;
}

function readOrigins(env: Env): string[] | null {
  const raw = readString(env, 'ALLOWED_ORIGINS');
  if (raw === null) return null;
  return raw.split(',').map((entry) => {
    const origin = entry.trim();
    if (origin === '*') return origin;
    try {
      const url = new URL(origin);
      if (url.origin !== origin) throw new Error();
      return origin;
    } catch {
      throw new ConfigError('ALLOWED_ORIGINS', `"${origin}" is not an origin like https://example.com`);
    }
  });
}

function readSqliteSynchronous(env: Env): 'NORMAL' | 'FULL' {
  const value = (readString(env, 'SQLITE_SYNCHRONOUS') ?? 'NORMAL').toUpperCase();
  if (value !== 'NORMAL' && value !== 'FULL') throw new ConfigError('SQLITE_SYNCHRONOUS', 'expected NORMAL or FULL');
  return value;
}

function readHosts(env: Env): string[] | null {
  const raw = readString(env, 'ALLOWED_HOSTS');
  if (raw === null) return null;
  return raw.split(',').map((entry) => {
    const host = entry.trim().toLowerCase();
    if (host === '*' || /^\.?[a-z0-9.-]+$/.test(host) || /^\[?[0-9a-f:.]+\]?$/.test(host)) return host;
    throw new ConfigError('ALLOWED_HOSTS', `"${entry.trim()}" is not a host name, an address, a .suffix or *`);
  });
}

function readChoice<T extends string>(env: Env, name: string, choices: readonly T[], fallback: T): T {
  const value = (readString(env, name) ?? fallback).toLowerCase() as T;
  if (!choices.includes(value)) throw new ConfigError(name, `expected one of ${choices.join(', ')}`);
  return value;
}

function readOidc(env: Env): OidcConfig | null {
  const names = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const;
  const set = names.filter((name) => readString(env, name) !== null);
  if (set.length === 0) return null;
  const missing = names.find((name) => !set.includes(name));
  if (missing) throw new ConfigError(missing, `single sign-on needs all of ${names.join(', ')}; ${set.join(', ')} set without it`);
  const issuer = readUrl(env, 'OIDC_ISSUER', ['https:', 'http:'])!;
  const { protocol, hostname } = new URL(issuer);
  if (protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(hostname)) {
    throw new ConfigError('OIDC_ISSUER', 'must be an https URL (http only for localhost)');
  }
  return { issuer, clientId: readString(env, 'OIDC_CLIENT_ID')!, clientSecret: readString(env, 'OIDC_CLIENT_SECRET')! };
}

const CIDR = /^(?:\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?|[0-9a-f:.]*:[0-9a-f:.]*(?:\/\d{1,3})?)$/i;

function readTrustProxy(env: Env): TrustProxy {
  const raw = readString(env, 'TRUST_PROXY');
  if (raw === null) return null;
  if (/^\d+$/.test(raw)) {
    const hops = readInt(env, 'TRUST_PROXY', 0, 0, 100);
    return hops === 0 ? null : { hops };
  }
  const cidrs = raw.split(',').map((entry) => entry.trim().toLowerCase());
  for (const cidr of cidrs) {
    const [address, bits] = cidr.split('/');
    const v4 = address!.includes('.') && !address!.includes(':');
    const valid = CIDR.test(cidr) && (bits === undefined || Number(bits) <= (v4 ? 32 : 128)) && (!v4 || address!.split('.').every((part) => Number(part) <= 255));
    if (!valid) throw new ConfigError('TRUST_PROXY', `"${cidr}" is not a number of hops, an address or a CIDR range like 10.0.0.0/8`);
  }
  return { cidrs };
}

/** Per-account connection caps; one account may never hold every seat of a document. */
function readUserConnections(env: Env): { perDocument: number; overall: number } {
  const seats = readInt(env, 'MAX_CONNECTIONS_PER_DOCUMENT', 1000, 1, 100_000);
  const perDocument = readInt(env, 'MAX_CONNECTIONS_PER_USER_PER_DOCUMENT', Math.max(1, Math.min(20, seats - 1)), 1, 100_000);
  if (seats > 1 && perDocument >= seats) {
    throw new ConfigError('MAX_CONNECTIONS_PER_USER_PER_DOCUMENT', `must be less than MAX_CONNECTIONS_PER_DOCUMENT (${seats}), so one account cannot take every seat`);
  }
  return { perDocument, overall: readInt(env, 'MAX_CONNECTIONS_PER_USER', 200, 1, 1_000_000) };
}

function readMetricsToken(env: Env): string | null {
  const token = readString(env, 'METRICS_TOKEN');
  if (token !== null && !/^[\x21-\x7e]{16,}$/.test(token)) {
    throw new ConfigError('METRICS_TOKEN', 'must be at least 16 printable characters, without spaces');
  }
  return token;
}

/** `DEFAULT_ACCESS` as `scope:role`, e.g. `private:editor`, `workspace:viewer`, `link:viewer`. */
function readDefaultAccess(env: Env): GeneralAccess {
  const raw = readString(env, 'DEFAULT_ACCESS') ?? 'workspace:editor';
  const [scope, role, extra] = raw.split(':');
  if (extra !== undefined || !ACCESS_SCOPES.includes(scope as AccessScope) || !GENERAL_ROLES.includes(role as GeneralRole)) {
    throw new ConfigError('DEFAULT_ACCESS', `expected scope:role with scope ${ACCESS_SCOPES.join(', ')} and role ${GENERAL_ROLES.join(' or ')}, got "${raw}"`);
  }
  return { scope: scope as AccessScope, role: role as GeneralRole };
}

/** Reads and validates the configuration; throws `ConfigError` naming the bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const logLevel = (readString(env, 'LOG_LEVEL') ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `expected one of ${LOG_LEVELS.join(', ')}`);
  }
  const sessionSecret = readString(env, 'SESSION_SECRET');
  if (sessionSecret !== null && sessionSecret.length < 32) {
    throw new ConfigError('SESSION_SECRET', 'must be at least 32 characters');
  }
  const MiB = 1024 * 1024;
  const userConnections = readUserConnections(env);
  return {
    port: readInt(env, 'PORT', 3000, 0, 65535),
    host: readString(env, 'HOST') ?? '0.0.0.0',
    dataDir: readString(env, 'DATA_DIR') ?? './data',
    databaseUrl: readUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    redisUrl: readUrl(env, 'REDIS_URL', ['redis:', 'rediss:']),
    sessionSecret,
    allowedOrigins: readOrigins(env),
    publicUrl: readUrl(env, 'PUBLIC_URL', ['http:', 'https:']),
    allowedHosts: readHosts(env),
    trustProxy: readTrustProxy(env),
    logLevel,
    sessionTtlSeconds: readInt(env, 'SESSION_TTL_SECONDS', 30 * 24 * 3600, 60, 365 * 24 * 3600),
    registration: readChoice(env, 'REGISTRATION', ['invite', 'open', 'closed'] as const, 'invite'),
    defaultAccess: readDefaultAccess(env),
    history: readChoice(env, 'HISTORY', ['on', 'off'] as const, 'on') === 'on',
    revisionRetentionDays: readInt(env, 'REVISION_RETENTION_DAYS', 30, 1, 36_500),
    trashRetentionDays: readInt(env, 'TRASH_RETENTION_DAYS', 30, 1, 36_500),
    passwordHashCost: readChoice(env, 'PASSWORD_HASH_COST', ['default', 'low'] as const, 'default'),
    oidc: readOidc(env),
    compactAfterUpdates: readInt(env, 'COMPACT_AFTER_UPDATES', 1000, 10, 1_000_000),
    activityIdleMs: readInt(env, 'ACTIVITY_IDLE_MS', 3000, 10, 600_000),
    activityMaxSpanMs: readInt(env, 'ACTIVITY_MAX_SPAN_MS', 30_000, 10, 3_600_000),
    syncKeepAliveMs: readInt(env, 'SYNC_KEEPALIVE_MS', 15_000, 100, 25_000),
    documentUnloadAfterMs: readInt(env, 'DOCUMENT_UNLOAD_AFTER_MS', 60_000, 100, 86_400_000),
    sseHeartbeatMs: readInt(env, 'SSE_HEARTBEAT_MS', 15_000, 100, 15_000),
    shutdownTimeoutMs: readInt(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 100, 600_000),
    searchIndexIntervalMs: readInt(env, 'SEARCH_INDEX_INTERVAL_MS', 2000, 50, 600_000),
    clientDir: env.CLIENT_DIR === undefined ? 'client/dist' : readString(env, 'CLIENT_DIR'),
    sqliteSynchronous: readSqliteSynchronous(env),
    renderWorkers: readInt(env, 'RENDER_WORKERS', Math.max(1, availableParallelism() - 1), 1, 64),
    metricsToken: readMetricsToken(env),
    limits: {
      maxMessageBytes: readInt(env, 'MAX_MESSAGE_BYTES', 2 * MiB, 1024, 256 * MiB),
      maxDocumentBytes: readInt(env, 'MAX_DOCUMENT_BYTES', 16 * MiB, 1024, 1024 * MiB),
      maxConnectionsPerDocument: readInt(env, 'MAX_CONNECTIONS_PER_DOCUMENT', 1000, 1, 100_000),
      messagesPerSecond: readInt(env, 'MESSAGES_PER_SECOND', 500, 1, 1_000_000),
      connectionsPerSecondPerIp: readInt(env, 'CONNECTIONS_PER_SECOND_PER_IP', 50, 1, 1_000_000),
      sessionsPerMinutePerIp: readInt(env, 'SESSIONS_PER_MINUTE_PER_IP', 30, 1, 1_000_000),
      maxBodyBytes: readInt(env, 'MAX_BODY_BYTES', 1 * MiB, 1024, 256 * MiB),
      maxAttachmentBytes: readInt(env, 'MAX_ATTACHMENT_BYTES', 10 * MiB, 1024, 1024 * MiB),
      maxImportBytes: readInt(env, 'MAX_IMPORT_BYTES', 20 * MiB, 1024, 1024 * MiB),
      maxBufferedBytes: readInt(env, 'MAX_BUFFERED_BYTES', 8 * MiB, 64 * 1024, 1024 * MiB),
      maxAwarenessBytes: readInt(env, 'MAX_AWARENESS_BYTES', 64 * 1024, 256, 256 * MiB),
      maxNestingDepth: readInt(env, 'MAX_NESTING_DEPTH', 100, 4, 10_000),
      maxDocumentNodes: readInt(env, 'MAX_DOCUMENT_NODES', 200_000, 100, 100_000_000),
      maxConnectionsPerUserPerDocument: userConnections.perDocument,
      maxConnectionsPerUser: userConnections.overall,
      connectionsPerSecondPerUser: readInt(env, 'CONNECTIONS_PER_SECOND_PER_USER', 20, 1, 1_000_000),
      messagesPerSecondPerUser: readInt(env, 'MESSAGES_PER_SECOND_PER_USER', 1000, 1, 1_000_000),
      maxDocumentAwarenessBytes: readInt(env, 'MAX_DOCUMENT_AWARENESS_BYTES', 4 * MiB, 1024, 1024 * MiB),
      awarenessBytesPerSecond: readInt(env, 'AWARENESS_BYTES_PER_SECOND', 32 * 1024, 256, 1024 * MiB),
      maxStreamsPerSession: readInt(env, 'MAX_STREAMS_PER_SESSION', 8, 1, 100_000),
      maxStreamsPerUser: readInt(env, 'MAX_STREAMS_PER_USER', 32, 1, 100_000),
      maxRenderMs: readInt(env, 'MAX_RENDER_MS', 10_000, 10, 600_000),
      maxRenderQueue: readInt(env, 'MAX_RENDER_QUEUE', 8, 0, 10_000),
      maxRendersPerUser: readInt(env, 'MAX_RENDERS_PER_USER', 2, 1, 10_000),
    },
  };
}
