/**
 * Runs the real Quire server for the end-to-end tests: a fresh data directory, a free port, and
 * restarts on the same port and data so a test can take the server away mid-session.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUN = path.join(ROOT, 'node_modules/.bin/bun');
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;

/**
 * The settings every test server starts with: anyone may create an account (so each test makes
 * its own people), passwords hash cheaply, and sign-ins are not rate-limited at a test's pace.
 */
export const TEST_SERVER_ENV: Readonly<Record<string, string>> = {
  REGISTRATION: 'open',
  PASSWORD_HASH_COST: 'low',
  SESSIONS_PER_MINUTE_PER_IP: '10000',
};

/** One server process, restartable on the same port and data directory. */
export class QuireServer {
  readonly dataDir = mkdtempSync(path.join(tmpdir(), 'quire-e2e-'));
  private process: ChildProcess | null = null;
  private port = 0;
  /** The last lines the server logged, to explain a failed start. */
  private log: string[] = [];

  /** `env` adds to or overrides `TEST_SERVER_ENV` (a first-run test wants `REGISTRATION=invite`). */
  constructor(private readonly env: Readonly<Record<string, string>> = {}) {}

  get url(): string {
    if (this.port === 0) throw new Error('The server has not started yet');
    return `http://127.0.0.1:${this.port}`;
  }

  /**
   * Starts the server and resolves once it answers `/healthz` (at LOG_LEVEL=warn it does not log
   * its "listening" line, so readiness is asked, not read).
   */
  async start(): Promise<void> {
    if (this.process !== null) throw new Error('The server is already running');
    if (this.port === 0) this.port = await freePort();
    const child = spawn(BUN, ['server/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(this.port),
        HOST: '127.0.0.1',
        DATA_DIR: this.dataDir,
        LOG_LEVEL: process.env.QUIRE_E2E_LOG_LEVEL ?? 'warn',
        // Short enough to keep tests quick, long enough that a busy machine's pauses between
        // simulated keystrokes do not split one typed phrase into several bursts.
        ACTIVITY_IDLE_MS: '1500',
        ...TEST_SERVER_ENV,
        ...this.env,
      },
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    this.process = child;
    let buffered = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) this.remember(line);
    });
    let exited = false;
    child.once('exit', () => (exited = true));
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!(await this.healthy())) {
      if (exited) throw new Error(`Server exited before it was ready:\n${this.recentLog()}`);
      if (Date.now() > deadline) throw new Error(`Server was not ready in time:\n${this.recentLog()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private async healthy(): Promise<boolean> {
    try {
      const response = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(1_000) });
      return response.ok;
    } catch {
      return false;
    }
  }

  /** Stops the server gracefully (SIGTERM), killing it if it does not exit in time. */
  async stop(): Promise<void> {
    const child = this.process;
    if (child === null) return;
    this.process = null;
    await stopChild(child, STOP_TIMEOUT_MS);
  }

  /** Stops and starts again on the same port with the same data. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Stops the server and removes its data. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** Warnings and errors the server logged, for a failing test's report. */
  recentLog(): string {
    return this.log.join('\n');
  }

  private remember(line: string): void {
    if (line.trim() === '') return;
    this.log.push(line);
    if (this.log.length > 200) this.log.shift();
  }
}

/** Sends a child process SIGTERM, and SIGKILL if it has not exited after `timeoutMs`; resolves once it has. */
export async function stopChild(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** A port nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
