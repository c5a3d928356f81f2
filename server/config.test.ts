import { expect, test } from 'bun:test';
import { ConfigError, loadConfig } from './config.ts';

test('defaults match the documented ones', () => {
  const config = loadConfig({});
  expect(config).toMatchObject({ port: 3000, host: '0.0.0.0', dataDir: './data', databaseUrl: null, redisUrl: null, allowedOrigins: null, logLevel: 'info' });
});

test('a bad value stops start-up with a message naming the variable', () => {
  const bad: Record<string, string>[] = [
    { PORT: 'eighty' },
    { PORT: '70000' },
    { LOG_LEVEL: 'loud' },
    { DATABASE_URL: 'mysql://x' },
    { REDIS_URL: 'not a url' },
    { ALLOWED_ORIGINS: 'https://ok.example, nonsense' },
    { SESSION_SECRET: 'short' },
    { PUBLIC_URL: 'ftp://docs.example.com' },
    { SQLITE_SYNCHRONOUS: 'OFF' },
    { ALLOWED_HOSTS: 'docs.example.com, bad host/name' },
    { MAX_MESSAGE_BYTES: '-1' },
  ];
  for (const env of bad) {
    const name = Object.keys(env)[0]!;
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^${name}: `));
  }
});

test('lists and limits are parsed', () => {
  const config = loadConfig({ ALLOWED_ORIGINS: 'https://a.example,https://b.example', MAX_CONNECTIONS_PER_DOCUMENT: '7' });
  expect(config.allowedOrigins).toEqual(['https://a.example', 'https://b.example']);
  expect(config.limits.maxConnectionsPerDocument).toBe(7);
});
