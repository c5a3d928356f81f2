/**
 * The README's deployment for browsers: nginx (TLS with a self-signed certificate, HTTP/2) in
 * front of two Quire instances over PostgreSQL and Redis, run by `proxied-cluster-process.ts`
 * under Bun. Browsers reach it at `url` (contexts need `ignoreHTTPSErrors`); tests read each
 * instance directly at `instances` (its `/metrics`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { stopChild, TEST_SERVER_ENV } from './server.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUN = path.join(ROOT, 'node_modules/.bin/bun');
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

export class ProxiedDeployment {
  private constructor(
    private readonly child: ChildProcess,
    /** `https://localhost:PORT`: nginx. */
    readonly url: string,
    /** `http://127.0.0.1:PORT` of each instance, behind nginx. */
    readonly instances: string[],
  ) {}

  /** Starts it and resolves once nginx sends requests to both instances. */
  static async start(): Promise<ProxiedDeployment> {
    const env = { ...TEST_SERVER_ENV, CLIENT_DIR: 'client/dist', ACTIVITY_IDLE_MS: '1500' };
    const child = spawn(BUN, ['e2e/support/proxied-cluster-process.ts'], {
      cwd: ROOT,
      env: { ...process.env, QUIRE_CLUSTER_ENV: JSON.stringify(env) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout! });
    const started = await new Promise<{ url: string; instances: string[] }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the proxied deployment did not start in time')), START_TIMEOUT_MS);
      child.once('exit', (code) => reject(new Error(`the proxied deployment exited with ${code} before it started`)));
      lines.once('line', (line) => {
        clearTimeout(timer);
        resolve(JSON.parse(line) as { url: string; instances: string[] });
      });
    }).catch((error: unknown) => {
      child.kill('SIGKILL');
      throw error;
    });
    return new ProxiedDeployment(child, started.url, started.instances);
  }

  /** Stops nginx and both instances (SIGKILL if they hang), and removes their data. */
  stop(): Promise<void> {
    return stopChild(this.child, STOP_TIMEOUT_MS);
  }
}
