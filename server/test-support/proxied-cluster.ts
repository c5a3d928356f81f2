/**
 * The deployment the README describes, on loopback: two Quire child processes over one
 * PostgreSQL database and Redis, behind nginx (TLS, HTTP/2) configured from the template. Tests
 * reach it as users do, through `https://localhost:PORT`, and each instance directly for its
 * metrics and its restarts.
 */
import http2 from 'node:http2';
import https from 'node:https';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { freePort, spawnServer, type ChildServer } from './child-server.ts';
import { connectClient, tempDir, waitFor, type Client } from './harness.ts';
import { startNginx, type Nginx } from './nginx.ts';
import { createTestDatabase, TEST_REDIS_URL } from './postgres.ts';

/** One Quire instance behind the proxy. */
export interface Instance {
  child: ChildServer;
  port: number;
  dataDir: string;
  env: Record<string, string>;
  /** Every line it logged, across restarts. */
  logs: string[];
}

export interface ProxiedCluster {
  nginx: Nginx;
  instances: Instance[];
  /** `wss://localhost:PORT` */
  wsUrl: string;
  /** A stock client through the proxy, trusting its certificate. */
  connect(documentId: string, token: string): Client;
  /** fetch through the proxy. */
  fetch(path: string, init?: RequestInit & { token?: string; json?: unknown }): Promise<Response>;
  /** An HTTPS/1.1 request through the proxy from a given loopback address (127.0.0.2, ...). */
  requestFrom(localAddress: string, path: string, init: { method: string; json?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: string }>;
  /** One HTTP/2 connection to the proxy (a browser's, for its tabs). */
  http2(): http2.ClientHttp2Session;
  /** SIGTERM (it must exit 0), then start again on the same port, with `env` over its settings; resolves once the proxy sends it requests. */
  restart(index: number, env?: Record<string, string | undefined>): Promise<void>;
  close(): Promise<void>;
}

/** Shared by every instance, as the README asks (a token from one works on all). */
const SESSION_SECRET = 'proxied-cluster-session-secret-0123456789';

/** Starts PostgreSQL's throwaway database, two instances and nginx in front. */
export async function startProxiedCluster(env: Record<string, string> = {}): Promise<ProxiedCluster> {
  const database = await createTestDatabase();
  const nginxDir = tempDir('quire-nginx-');
  const ports = [freePort(), freePort()];
  const nginx = await startNginx(nginxDir.path, ports.map((port) => `127.0.0.1:${port}`));
  const base = {
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    SESSION_SECRET,
    TRUST_PROXY: '1',
    PUBLIC_URL: nginx.url,
    LOG_LEVEL: 'debug',
    REGISTRATION: 'open',
    ...env,
  };
  const instances: Instance[] = [];
  const dirs = ports.map(() => tempDir('quire-proxied-'));
  for (const [i, port] of ports.entries()) {
    const logs: string[] = [];
    const child = await spawnServer({ dataDir: dirs[i]!.path, port, env: base, logLines: logs });
    instances.push({ child, port, dataDir: dirs[i]!.path, env: base, logs });
  }
  const ca = nginx.ca;
  class TrustingWebSocket extends WebSocket {
    constructor(url: string | URL) {
      super(url, { tls: { ca } } as unknown as string[]);
    }
  }
  const fetchThrough: ProxiedCluster['fetch'] = (path, init = {}) => {
    const headers = new Headers(init.headers);
    if (init.token) headers.set('authorization', `Bearer ${init.token}`);
    if (init.json !== undefined) headers.set('content-type', 'application/json');
    return fetch(nginx.url + path, { ...init, headers, body: init.json === undefined ? init.body : JSON.stringify(init.json), tls: { ca } } as RequestInit);
  };
  return {
    nginx,
    instances,
    wsUrl: nginx.url.replace(/^https/, 'wss'),
    connect: (documentId, token) => connectClient(nginx.url.replace(/^https/, 'wss'), documentId, token, { maxBackoffTime: 250, WebSocketPolyfill: TrustingWebSocket }),
    fetch: fetchThrough,
    requestFrom: (localAddress, path, init) =>
      new Promise((resolve, reject) => {
        const body = init.json === undefined ? undefined : JSON.stringify(init.json);
        const request = https.request(
          `${nginx.url}${path}`,
          { method: init.method, ca, localAddress, agent: false, headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...init.headers } },
          (response) => {
            let text = '';
            response.on('data', (chunk) => (text += chunk));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
          },
        );
        request.on('error', reject);
        request.end(body);
      }),
    http2: () => http2.connect(nginx.url, { ca }),
    async restart(index, overrides = {}) {
      const instance = instances[index]!;
      instance.child.process.kill('SIGTERM');
      const code = await instance.child.exited;
      if (code !== 0) throw new Error(`instance ${index} exited ${code} on SIGTERM: ${instance.logs.slice(-5).join('\n')}`);
      const next: Record<string, string> = { ...instance.env };
      for (const [name, value] of Object.entries(overrides)) {
        if (value === undefined) delete next[name];
        else next[name] = value;
      }
      const logged = instance.logs.length;
      instance.child = await spawnServer({ dataDir: instance.dataDir, port: instance.port, env: next, logLines: instance.logs });
      instance.env = next;
      // nginx skips an instance for fail_timeout after a refused connection: wait until it is back in rotation.
      await waitFor(
        async () => {
          await (await fetchThrough('/healthz')).arrayBuffer();
          return instance.logs.slice(logged).some((line) => line.includes('"route":"/healthz"'));
        },
        15_000,
        `the proxy to send requests to restarted instance ${index}`,
      );
    },
    async close() {
      await nginx.stop();
      await Promise.all(instances.map((instance) => instance.child.kill('SIGKILL')));
      await database.drop();
      for (const dir of [...dirs, nginxDir]) dir.cleanup();
    },
  };
}

/** Reads a Server-Sent Events stream opened on an HTTP/2 session, message by message. */
export function http2EventStream(session: http2.ClientHttp2Session, path: string, token: string): { events: EventSourceMessage[]; status: Promise<number>; close(): void } {
  const events: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => events.push(event) });
  const stream = session.request({ ':path': path, authorization: `Bearer ${token}`, accept: 'text/event-stream' });
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => parser.feed(chunk));
  stream.on('error', () => undefined); // closed by the test
  const status = new Promise<number>((resolve) => stream.once('response', (headers) => resolve(Number(headers[':status']))));
  return { events, status, close: () => stream.close() };
}
