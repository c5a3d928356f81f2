/**
 * The servers under test and how to start each one. Every target is a separate OS process
 * started from the repository root, listening on 127.0.0.1 only.
 */
import { Database } from 'bun:sqlite';
import path from 'node:path';
import type { WireDialect } from '../protocol/adapters.ts';

/** Names accepted by `--servers`. */
export const TARGET_NAMES = ['quire', 'hocuspocus', 'hocuspocus-sqlite', 'y-websocket', 'relay'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

/** How to start one server and talk to it. */
export interface ServerTarget {
  name: TargetName;
  /** Human description used in reports. */
  label: string;
  dialect: WireDialect;
  /** Whether documents survive a restart (cold load is only measured for those). */
  persistent: boolean;
  /** The Yjs updates it stores for one document (read from its files while it is stopped), for persistent servers. */
  storedDocumentUpdates?(dataDir: string, documentId: string): Uint8Array[];
  /** Whether it serves Quire's REST API (session, documents, activity). */
  hasRestApi: boolean;
  /** Command line and extra environment for a given port and data directory. */
  command(port: number, dataDir: string): { argv: string[]; env: Record<string, string> };
  /** The WebSocket base URL that document ids are appended to (or, for Hocuspocus, the URL). */
  syncBaseUrl(port: number): string;
  /** Whether a log line says the server is ready. */
  isReadyLine(line: string): boolean;
  /** An HTTP path that answers 200 once ready, polled too (Quire logs "listening" at info, hidden by LOG_LEVEL=warn). */
  healthPath?: string;
}

/** Absolute path of the repository (the parent of bench/). */
export const REPO_ROOT = path.resolve(import.meta.dir, '..', '..');

const bun = process.execPath;

/** The `data` blobs a query selects from a server's SQLite file, opened read-only. */
function blobs(file: string, sql: string, documentId: string): Uint8Array[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.query(sql).all(documentId) as { data: Uint8Array }[]).map((row) => row.data);
  } finally {
    db.close();
  }
}
const jsonListening = (line: string) => line.includes('"msg":"listening"');

/**
 * Quire settings the benchmark changes from their defaults (printed in every report). Abuse
 * limits that a single loopback load generator would trip are raised so the sync path is what
 * gets measured; every instance makes its own account (open registration), cheaply (password
 * hashing at its lowest cost). Message size, document size and backpressure limits keep their defaults.
 */
export const QUIRE_BENCH_SETTINGS: Readonly<Record<string, string>> = {
  CONNECTIONS_PER_SECOND_PER_IP: '1000000',
  MESSAGES_PER_SECOND: '1000000',
  SESSIONS_PER_MINUTE_PER_IP: '1000000',
  MAX_CONNECTIONS_PER_DOCUMENT: '100000',
  // The load generator opens every connection and stream with one account.
  MAX_CONNECTIONS_PER_USER_PER_DOCUMENT: '99999',
  MAX_CONNECTIONS_PER_USER: '1000000',
  CONNECTIONS_PER_SECOND_PER_USER: '1000000',
  MESSAGES_PER_SECOND_PER_USER: '1000000',
  MAX_STREAMS_PER_SESSION: '100000',
  MAX_STREAMS_PER_USER: '100000',
  REGISTRATION: 'open',
  PASSWORD_HASH_COST: 'low',
};

/** With BENCH_QUIRE_CPU_PROFILE=<dir>, Quire writes a CPU profile (and its Markdown digest) there on exit, sampled every 250 µs (the default 1 ms is too coarse for per-update costs). */
function quireProfileFlags(): string[] {
  const directory = process.env.BENCH_QUIRE_CPU_PROFILE;
  return directory ? ['--cpu-prof', '--cpu-prof-md', '--cpu-prof-interval=250', `--cpu-prof-dir=${directory}`] : [];
}

const targets: Record<TargetName, ServerTarget> = {
  quire: {
    name: 'quire',
    label: 'Quire (Bun, SQLite)',
    dialect: 'y-websocket',
    persistent: true,
    // The document's update log (its revisions are history, stored apart).
    storedDocumentUpdates: (dataDir, documentId) => blobs(path.join(dataDir, 'quire.sqlite'), 'SELECT data FROM document_updates WHERE document_id = ? ORDER BY id', documentId),
    hasRestApi: true,
    command: (port, dataDir) => ({
      argv: [bun, ...quireProfileFlags(), 'server/main.ts'],
      env: { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', CLIENT_DIR: '', ...QUIRE_BENCH_SETTINGS },
    }),
    syncBaseUrl: (port) => `ws://127.0.0.1:${port}/sync`,
    isReadyLine: jsonListening,
    healthPath: '/healthz',
  },
  hocuspocus: {
    name: 'hocuspocus',
    label: 'Hocuspocus 4.7 (Node, in memory)',
    dialect: 'hocuspocus',
    persistent: false,
    hasRestApi: false,
    command: (port) => ({ argv: ['node', 'bench/peers/hocuspocus-server.mjs'], env: { PORT: String(port) } }),
    syncBaseUrl: (port) => `ws://127.0.0.1:${port}`,
    isReadyLine: jsonListening,
  },
  'hocuspocus-sqlite': {
    name: 'hocuspocus-sqlite',
    label: 'Hocuspocus 4.7 + SQLite extension (Node)',
    dialect: 'hocuspocus',
    persistent: true,
    storedDocumentUpdates: (dataDir, documentId) => blobs(path.join(dataDir, 'hocuspocus.sqlite'), 'SELECT data FROM documents WHERE name = ?', documentId),
    hasRestApi: false,
    command: (port, dataDir) => ({
      argv: ['node', 'bench/peers/hocuspocus-server.mjs'],
      env: { PORT: String(port), SQLITE_FILE: path.join(dataDir, 'hocuspocus.sqlite') },
    }),
    syncBaseUrl: (port) => `ws://127.0.0.1:${port}`,
    isReadyLine: jsonListening,
  },
  'y-websocket': {
    name: 'y-websocket',
    label: 'y-websocket 1.5.4 reference server (Node, in memory)',
    dialect: 'y-websocket',
    persistent: false,
    hasRestApi: false,
    command: (port) => ({
      argv: ['node', 'node_modules/y-websocket-legacy/bin/server.js'],
      env: { PORT: String(port), HOST: '127.0.0.1' },
    }),
    syncBaseUrl: (port) => `ws://127.0.0.1:${port}`,
    isReadyLine: (line) => line.startsWith('running at'),
  },
  relay: {
    name: 'relay',
    label: 'raw Bun relay (floor, no Yjs)',
    dialect: 'relay',
    persistent: false,
    hasRestApi: false,
    command: (port) => ({ argv: [bun, 'bench/servers/relay-server.ts'], env: { PORT: String(port) } }),
    syncBaseUrl: (port) => `ws://127.0.0.1:${port}`,
    isReadyLine: jsonListening,
  },
};

/** The target definition for a name. */
export function targetByName(name: TargetName): ServerTarget {
  return targets[name];
}

/** Whether a string names a target. */
export function isTargetName(value: string): value is TargetName {
  return (TARGET_NAMES as readonly string[]).includes(value);
}
