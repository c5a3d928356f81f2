/** Builds the client once before the end-to-end run: the server serves `client/dist`. */
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export default function globalSetup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const skip = process.env.QUIRE_E2E_SKIP_BUILD === '1' && existsSync(`${root}client/dist/index.html`);
  if (!skip) execSync('npm run build', { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}
