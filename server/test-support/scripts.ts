/** Runs one of the operator scripts (`scripts/*.ts`) as `npm run` would, for tests. */
import { join } from 'node:path';

const ROOT = join(import.meta.dir, '..', '..');

/** The store variables a script reads: only those a test passes reach it. */
const STORE_VARIABLES = ['DATA_DIR', 'DATABASE_URL', 'REDIS_URL', 'SESSION_SECRET'];

/** Runs `bun <script> ...args` with `env` over this process's environment; resolves when it exits. */
export async function runScript(script: string, args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<{ code: number; stdout: string; stderr: string }> {
  const base: Record<string, string | undefined> = { ...process.env };
  for (const name of STORE_VARIABLES) delete base[name];
  const child = Bun.spawn([process.execPath, script, ...args], { cwd: ROOT, env: { ...base, ...env }, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe', timeout: timeoutMs });
  const [code, stdout, stderr] = await Promise.all([child.exited, new Response(child.stdout).text(), new Response(child.stderr).text()]);
  return { code, stdout, stderr };
}
