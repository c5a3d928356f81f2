/** Runs Quire as a child process (as `npm start` would), for crash and restart tests. */
import { join } from 'node:path';
import type { SessionResponse } from '../../shared/dto.ts';

/** A free TCP port on loopback (bound, read, released). */
export function freePort(): number {
  const listener = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } });
  const port = listener.port;
  listener.stop(true);
  return port;
}

export interface ChildServer {
  url: string;
  wsUrl: string;
  process: Bun.Subprocess;
  /** Resolves when the process has exited. */
  exited: Promise<number>;
  kill(signal?: NodeJS.Signals): Promise<number>;
}

const ROOT = join(import.meta.dir, '..', '..');

/** Starts `bun server/main.ts` and resolves once it logs that it is listening. */
export async function spawnServer(options: {
  dataDir: string;
  port: number;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Collects every line the server logs (stderr), for tests that read the logs. */
  logLines?: string[];
}): Promise<ChildServer> {
  const child = Bun.spawn([process.execPath, 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(options.port), HOST: '127.0.0.1', DATA_DIR: options.dataDir, CLIENT_DIR: '', LOG_LEVEL: 'info', PASSWORD_HASH_COST: 'low', ...options.env },
    stdout: 'ignore',
    stderr: 'pipe',
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // never leave an orphan behind a failed start
      reject(new Error('server did not start in time'));
    }, options.timeoutMs ?? 15_000);
    const decoder = new TextDecoder();
    let buffered = '';
    let beforeListening = '';
    let listening = false;
    const reader = child.stderr.getReader();
    const pump = async (): Promise<void> => {
      // Reads until the end even once listening, so the child never blocks on a full pipe.
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return listening ? undefined : reject(new Error(`server exited before listening: ${beforeListening}${buffered}`));
        const text = decoder.decode(value, { stream: true });
        if (!listening) beforeListening += text;
        buffered += text;
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        options.logLines?.push(...lines);
        const line = listening ? undefined : lines.find((l) => l.includes('"msg":"listening"'));
        if (line) {
          listening = true;
          clearTimeout(timer);
          resolve((JSON.parse(line) as { url: string }).url);
        }
      }
    };
    void pump();
  });
  return {
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    process: child,
    exited: child.exited,
    async kill(signal = 'SIGKILL') {
      child.kill(signal);
      return child.exited;
    },
  };
}

/** A JSON request to a server by URL (a child has no in-process helpers); throws on a non-2xx answer. */
export async function requestJson<T>(baseUrl: string, path: string, init: { method?: string; json?: unknown; token?: string } = {}): Promise<T> {
  const method = init.method ?? (init.json === undefined ? 'GET' : 'POST');
  const headers: Record<string, string> = {};
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const response = await fetch(baseUrl + path, {
    method,
    headers,
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/**
 * Creates an account on a child server and signs it in (the first is the admin; later ones need
 * REGISTRATION=open or an invite). Returns the session and the email.
 */
export async function createAccount(baseUrl: string, name: string, extra: Record<string, unknown> = {}): Promise<SessionResponse & { email: string }> {
  const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 20)}-${crypto.randomUUID().slice(0, 8)}@test.example`;
  const session = await requestJson<SessionResponse>(baseUrl, '/api/accounts', { json: { email, name, password: CHILD_PASSWORD, ...extra } });
  return { ...session, email };
}

/** The password of the accounts `createAccount` makes. */
export const CHILD_PASSWORD = 'correct horse battery staple';
