/**
 * Test harness: a real Quire server on port 0 with its own data directory, plus helpers to sign
 * in, create documents and connect the stock y-websocket client. Everything cleans up after itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { DocumentDetail, SessionResponse } from '../../shared/dto.ts';
import { loadConfig, type Config } from '../config.ts';
import { createLogger } from '../logger.ts';
import { startServer, type RunningServer } from '../server.ts';

/** A fresh temporary directory, removed by `cleanup`. */
export function tempDir(prefix = 'quire-test-'): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * A config for tests: loopback, port 0, no client, quiet logs, registration open to anyone and
 * the cheapest password hashing (so tests make hundreds of accounts); `env` overrides variables.
 */
export function testConfig(dataDir: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    CLIENT_DIR: '',
    LOG_LEVEL: 'silent',
    REGISTRATION: 'open',
    PASSWORD_HASH_COST: 'low',
    ...env,
  });
}

/** How others see a user (presence, activity): never their email or role. */
export function identityOf(user: { id: string; name: string; color: string }): { id: string; name: string; color: string } {
  return { id: user.id, name: user.name, color: user.color };
}

/** The password of every account the helpers create. */
export const TEST_PASSWORD = 'correct horse battery staple';

let accounts = 0;

/** A fresh, unique email for an account named `name`. */
export function uniqueEmail(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 20) || 'user';
  return `${slug}-${++accounts}-${crypto.randomUUID().slice(0, 8)}@test.example`;
}

/** The body of `POST /api/accounts` for a new account named `name`. */
export function newAccountBody(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { email: uniqueEmail(name), name, password: TEST_PASSWORD, ...extra };
}

/** A running test server and the helpers bound to it. */
export interface TestServer {
  server: RunningServer;
  url: string;
  wsUrl: string;
  dataDir: string;
  /**
   * Creates an account named `name` (a unique email, `TEST_PASSWORD`) and signs it in. The
   * server's first account is its admin; later ones need `REGISTRATION=open` (the test default).
   */
  signIn(name?: string): Promise<SessionResponse & { email: string }>;
  /** Creates a document as `token`'s user. */
  createDocument(token: string, body?: Record<string, unknown>): Promise<DocumentDetail>;
  /** fetch with the token as Bearer (if given) against this server. */
  request(path: string, init?: RequestInit & { token?: string; json?: unknown }): Promise<Response>;
  /** Stops the server and removes its data directory (unless `keepData`). */
  close(options?: { keepData?: boolean }): Promise<void>;
}

/** Starts a server; pass `dataDir` to reuse one (restart tests). */
export async function startTestServer(options: { env?: Record<string, string>; dataDir?: string } = {}): Promise<TestServer> {
  const dir = options.dataDir ? { path: options.dataDir, cleanup() {} } : tempDir();
  const config = testConfig(dir.path, options.env);
  const server = await startServer(config, createLogger(config.logLevel));
  const url = server.url;
  const request: TestServer['request'] = (path, init = {}) => {
    const headers = new Headers(init.headers);
    if (init.token) headers.set('authorization', `Bearer ${init.token}`);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(init.json);
    }
    return fetch(url + path, { ...init, headers, body });
  };
  return {
    server,
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    dataDir: dir.path,
    async signIn(name = 'Ada') {
      const body = newAccountBody(name);
      const response = await request('/api/accounts', { method: 'POST', json: body });
      if (response.status !== 201) throw new Error(`creating an account failed: ${response.status} ${await response.text()}`);
      return { ...((await response.json()) as SessionResponse), email: body.email as string };
    },
    async createDocument(token, body = { title: 'Test document' }) {
      const response = await request('/api/documents', { method: 'POST', token, json: body });
      if (response.status !== 201) throw new Error(`create failed: ${response.status} ${await response.text()}`);
      return (await response.json()) as DocumentDetail;
    },
    request,
    async close({ keepData = false } = {}) {
      await server.stop();
      if (!keepData) dir.cleanup();
    },
  };
}

/** The stock y-websocket client connected to a document, with its Y.Doc. */
export interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  destroy(): void;
}

/**
 * Connects `WebsocketProvider` exactly as a browser would, token in the query string.
 * `maxBackoffTime` caps its reconnect delay (the stock default is 2500 ms); `WebSocketPolyfill`
 * replaces the WebSocket class (to trust a test certificate, say).
 */
export function connectClient(
  wsUrl: string,
  documentId: string,
  token: string,
  options: { connect?: boolean; maxBackoffTime?: number; WebSocketPolyfill?: typeof WebSocket } = {},
): Client {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${wsUrl}/sync`, documentId, doc, {
    params: { token },
    connect: options.connect ?? true,
    disableBc: true,
    ...(options.maxBackoffTime === undefined ? {} : { maxBackoffTime: options.maxBackoffTime }),
    ...(options.WebSocketPolyfill === undefined ? {} : { WebSocketPolyfill: options.WebSocketPolyfill }),
  });
  return {
    doc,
    provider,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Records the code of every close the client's provider sees (0 for a local close). */
export function closeCodes(client: Client): number[] {
  const codes: number[] = [];
  client.provider.on('connection-close', (event: CloseEvent | null) => codes.push(event?.code ?? 0));
  return codes;
}

/** Plain text of a document's `default` fragment (all paragraphs, joined). */
export function documentText(doc: Y.Doc): string {
  const parts: string[] = [];
  const walk = (node: Y.XmlElement | Y.XmlFragment | Y.XmlText) => {
    if (node instanceof Y.XmlText) {
      for (const op of node.toDelta() as { insert: unknown }[]) if (typeof op.insert === 'string') parts.push(op.insert);
    }
    else node.toArray().forEach((child) => walk(child as Y.XmlElement | Y.XmlText));
  };
  walk(doc.getXmlFragment('default'));
  return parts.join('');
}

/** Appends text in a paragraph of its own at the end of the document, as a user typing would. */
export function typeParagraph(doc: Y.Doc, text: string): void {
  doc.transact(() => {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(text)]);
    const fragment = doc.getXmlFragment('default');
    fragment.insert(fragment.length, [paragraph]);
  });
}

/** Resolves when `predicate` holds, polling on every event-loop turn; rejects after `timeoutMs`. */
export async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await predicate())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Resolves when the provider has completed its first sync. */
export function synced(client: Client, timeoutMs = 5000): Promise<void> {
  return waitFor(() => client.provider.synced, timeoutMs, 'provider sync');
}
