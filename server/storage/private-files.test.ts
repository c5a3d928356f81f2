/** The data directory and everything in it are readable by the server's own user only. */
import { afterAll, expect, test } from 'bun:test';
import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, tempDir } from '../test-support/harness.ts';

const dirs: { cleanup(): void }[] = [];
afterAll(() => dirs.forEach((dir) => dir.cleanup()));

const modeOf = (path: string) => statSync(path).mode & 0o777;

test('a new data directory is 700 and the database, its WAL and the session secret are 600', async () => {
  const parent = tempDir('quire-perms-');
  dirs.push(parent);
  const dataDir = join(parent.path, 'data');
  const server = await startTestServer({ dataDir, env: { SESSION_SECRET: '' } });
  try {
    const { token } = await server.signIn('Ada');
    await server.createDocument(token, { title: 'Private', content: { type: 'doc', content: [{ type: 'paragraph' }] } });
  } finally {
    await server.close();
  }
  expect(modeOf(dataDir)).toBe(0o700);
  for (const file of ['quire.sqlite', 'quire.sqlite-wal', 'quire.sqlite-shm', 'session-secret']) {
    const path = join(dataDir, file);
    if (file.startsWith('quire.sqlite-') && !existsSync(path)) continue; // checkpointed away on close
    expect(`${file} ${modeOf(path).toString(8)}`).toBe(`${file} 600`);
  }
  expect(existsSync(join(dataDir, 'session-secret'))).toBe(true);
});

test('a data directory left readable by an older version is tightened at start-up', async () => {
  const parent = tempDir('quire-perms-');
  dirs.push(parent);
  const dataDir = join(parent.path, 'data');
  mkdirSync(dataDir, { mode: 0o755 });
  writeFileSync(join(dataDir, 'session-secret'), 'a'.repeat(64), { mode: 0o644 });
  writeFileSync(join(dataDir, 'quire.sqlite'), '', { mode: 0o644 });
  chmodSync(dataDir, 0o755);
  const server = await startTestServer({ dataDir, env: { SESSION_SECRET: '' } });
  await server.close();
  expect(modeOf(dataDir)).toBe(0o700);
  expect(modeOf(join(dataDir, 'session-secret'))).toBe(0o600);
  expect(modeOf(join(dataDir, 'quire.sqlite'))).toBe(0o600);
});
