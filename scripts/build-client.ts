/**
 * `npm run build`: builds the web client so that several instances started from one checkout
 * never see a half-written client. Each build goes to its own directory under `client/builds/`,
 * named by a hash of everything that shapes it, and `client/dist` is a symlink that is swapped
 * in one rename. When the sources are unchanged the build is skipped.
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const ROOT = path.resolve(import.meta.dir, '..');
const CLIENT = path.join(ROOT, 'client');
const BUILDS = path.join(CLIENT, 'builds');
const DIST = path.join(CLIENT, 'dist');
/** Builds kept besides the current one: pages loaded before a swap still find their assets. */
const KEEP_PREVIOUS = 1;

/** What the server sends compressed: text assets (source maps are never served). */
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|webmanifest|txt)$/;

/** Files whose content decides the build: client and shared sources, the lock file, configs, this script. */
function inputs(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      // Build outputs (the `dist` symlink among them) are not inputs.
      if (full === BUILDS || full === DIST || entry.isSymbolicLink() || entry.name === 'node_modules') continue;
      if (entry.isDirectory()) {
        walk(full);
      } else if (!/\.test\.tsx?$/.test(entry.name)) {
        files.push(full);
      }
    }
  };
  walk(CLIENT);
  walk(path.join(ROOT, 'shared'));
  files.push(path.join(ROOT, 'package-lock.json'), path.join(ROOT, 'tsconfig.json'), path.join(ROOT, 'scripts/build-client.ts'));
  return files.sort();
}

function sourceHash(): string {
  const hash = createHash('sha256');
  for (const file of inputs()) {
    hash.update(path.relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** The build `client/dist` points at now, if it is one of ours. */
function currentBuild(): string | null {
  try {
    return lstatSync(DIST).isSymbolicLink() ? path.basename(readlinkSync(DIST)) : null;
  } catch {
    return null;
  }
}

async function viteBuild(outDir: string): Promise<void> {
  // Vite runs on Node, as `vite build` always has here; Bun only orchestrates.
  const child = Bun.spawn(['node', path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'client/vite.config.ts', '--outDir', outDir, '--emptyOutDir'], {
    cwd: ROOT,
    stdout: 'inherit',
    stderr: 'inherit',
  });
  const code = await child.exited;
  if (code !== 0) throw new Error(`vite build failed with exit code ${code}`);
}

/**
 * Writes `.br` (brotli, best quality) and `.gz` (gzip -9) beside every text asset of a build, so
 * the server sends them with no compression work per request. A variant no smaller than its
 * original is not written.
 */
function precompress(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !COMPRESSIBLE.test(entry.name)) continue;
    const file = path.join(entry.parentPath, entry.name);
    const source = readFileSync(file);
    const variants = {
      '.br': brotliCompressSync(source, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: source.length } }),
      '.gz': gzipSync(source, { level: constants.Z_BEST_COMPRESSION }),
    };
    for (const [extension, compressed] of Object.entries(variants)) {
      if (compressed.length < source.length) writeFileSync(file + extension, compressed);
    }
  }
}

/** Points `client/dist` at `builds/<name>` with one atomic rename. */
function swapIn(name: string): void {
  const link = path.join(CLIENT, `.dist-${process.pid}`);
  rmSync(link, { force: true });
  symlinkSync(path.join('builds', name), link);
  if (existsSync(DIST) && !lstatSync(DIST).isSymbolicLink()) {
    // A plain directory from an older checkout: move it aside once (a rename cannot replace it).
    renameSync(DIST, path.join(BUILDS, `legacy-${Date.now()}`));
  }
  renameSync(link, DIST);
}

/** Removes all but the newest builds (and unfinished ones older than an hour). */
function prune(current: string): void {
  const entries = readdirSync(BUILDS)
    .map((name) => ({ name, mtime: statSync(path.join(BUILDS, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  let kept = 0;
  for (const { name, mtime } of entries) {
    if (name === current) continue;
    const unfinished = name.includes('.tmp-');
    if (unfinished ? Date.now() - mtime > 3_600_000 : ++kept > KEEP_PREVIOUS) {
      rmSync(path.join(BUILDS, name), { recursive: true, force: true });
    }
  }
}

const hash = sourceHash();
const target = path.join(BUILDS, hash);
if (currentBuild() === hash && existsSync(path.join(target, 'index.html'))) {
  console.error(`client build ${hash} is up to date`);
} else {
  if (!existsSync(path.join(target, 'index.html'))) {
    const temporary = path.join(BUILDS, `${hash}.tmp-${process.pid}`);
    await viteBuild(temporary);
    precompress(temporary);
    rmSync(target, { recursive: true, force: true });
    // Another instance may have finished the same build meanwhile: either copy is the same.
    try {
      renameSync(temporary, target);
    } catch {
      rmSync(temporary, { recursive: true, force: true });
    }
  }
  swapIn(hash);
  prune(hash);
  console.error(`client build ${hash} is in client/dist`);
}
