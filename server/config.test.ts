import { expect, test } from 'bun:test';
import { availableParallelism } from 'node:os';
import { ConfigError, loadConfig } from './config.ts';

test('defaults match the documented ones', () => {
  const config = loadConfig({});
  expect(config).toMatchObject({ port: 3000, host: '0.0.0.0', dataDir: './data', databaseUrl: null, redisUrl: null, allowedOrigins: null, logLevel: 'info' });
  expect(config).toMatchObject({ registration: 'invite', passwordHashCost: 'default', oidc: null });
  expect(config.defaultAccess).toEqual({ scope: 'workspace', role: 'editor' });
  expect(config.shutdownTimeoutMs).toBe(10_000);
  expect(loadConfig({ DEFAULT_ACCESS: 'private:viewer' }).defaultAccess).toEqual({ scope: 'private', role: 'viewer' });
});

test('single sign-on is on only with issuer, client id and secret; the message names what is missing', () => {
  const oidc = { OIDC_ISSUER: 'https://idp.example.com', OIDC_CLIENT_ID: 'quire', OIDC_CLIENT_SECRET: 'secret' };
  expect(loadConfig(oidc).oidc).toEqual({ issuer: 'https://idp.example.com', clientId: 'quire', clientSecret: 'secret' });
  expect(loadConfig({ ...oidc, OIDC_ISSUER: 'http://localhost:9000' }).oidc?.issuer).toBe('http://localhost:9000');
  expect(() => loadConfig({ OIDC_ISSUER: oidc.OIDC_ISSUER, OIDC_CLIENT_SECRET: 'secret' })).toThrow(/^OIDC_CLIENT_ID: .*OIDC_ISSUER, OIDC_CLIENT_SECRET set/);
  expect(loadConfig({ REGISTRATION: 'OPEN', PASSWORD_HASH_COST: 'low' })).toMatchObject({ registration: 'open', passwordHashCost: 'low' });
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
    { METRICS_TOKEN: 'too-short' },
    { METRICS_TOKEN: 'has a space in it, sixteen+' },
    { MAX_MESSAGE_BYTES: '-1' },
    { REGISTRATION: 'anyone' },
    { DEFAULT_ACCESS: 'workspace:owner' },
    { DEFAULT_ACCESS: 'public' },
    { PASSWORD_HASH_COST: 'none' },
    { SHUTDOWN_TIMEOUT_MS: 'ten seconds' },
    { SHUTDOWN_TIMEOUT_MS: '0' },
    { OIDC_ISSUER: 'http://idp.example.com', OIDC_CLIENT_ID: 'quire', OIDC_CLIENT_SECRET: 's' },
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

test('TRUST_PROXY: unset or 0 believes no proxy; a hop count; a list of addresses and CIDR ranges; anything else stops start-up', () => {
  expect(loadConfig({}).trustProxy).toBeNull();
  expect(loadConfig({ TRUST_PROXY: '0' }).trustProxy).toBeNull();
  expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toEqual({ hops: 2 });
  expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1, fd00::/8' }).trustProxy).toEqual({ cidrs: ['10.0.0.0/8', '127.0.0.1', '::1', 'fd00::/8'] });
  for (const bad of ['yes', '10.0.0.0/33', '300.1.1.1', 'proxy.example.com', '::1/129', '1.5']) {
    expect(() => loadConfig({ TRUST_PROXY: bad })).toThrow(/^TRUST_PROXY: /);
  }
});

test('per-account limits have defaults, and one account may never hold every seat of a document', () => {
  expect(loadConfig({}).limits).toMatchObject({
    maxConnectionsPerUserPerDocument: 20,
    maxConnectionsPerUser: 200,
    connectionsPerSecondPerUser: 20,
    messagesPerSecondPerUser: 1000,
    maxDocumentAwarenessBytes: 4 * 1024 * 1024,
    awarenessBytesPerSecond: 32 * 1024,
    maxStreamsPerSession: 8,
    maxStreamsPerUser: 32,
  });
  expect(loadConfig({ MAX_CONNECTIONS_PER_DOCUMENT: '7' }).limits.maxConnectionsPerUserPerDocument).toBe(6);
  expect(loadConfig({ MAX_CONNECTIONS_PER_DOCUMENT: '1' }).limits.maxConnectionsPerUserPerDocument).toBe(1);
  expect(() => loadConfig({ MAX_CONNECTIONS_PER_DOCUMENT: '10', MAX_CONNECTIONS_PER_USER_PER_DOCUMENT: '10' })).toThrow(/^MAX_CONNECTIONS_PER_USER_PER_DOCUMENT: /);
  expect(() => loadConfig({ MAX_STREAMS_PER_SESSION: '0' })).toThrow(/^MAX_STREAMS_PER_SESSION: /);
});

test('rendering limits: one worker per core but one (at least one), 10 s per render, 8 waiting, 2 per account; bad values stop start-up', () => {
  const config = loadConfig({});
  expect(config.renderWorkers).toBe(Math.max(1, availableParallelism() - 1));
  expect(config.limits).toMatchObject({ maxRenderMs: 10_000, maxRenderQueue: 8, maxRendersPerUser: 2 });
  const set = loadConfig({ RENDER_WORKERS: '3', MAX_RENDER_MS: '50', MAX_RENDER_QUEUE: '0', MAX_RENDERS_PER_USER: '5' });
  expect(set.renderWorkers).toBe(3);
  expect(set.limits).toMatchObject({ maxRenderMs: 50, maxRenderQueue: 0, maxRendersPerUser: 5 });
  for (const [name, value] of [
    ['RENDER_WORKERS', '0'],
    ['RENDER_WORKERS', 'many'],
    ['MAX_RENDER_MS', '5'],
    ['MAX_RENDER_MS', '10s'],
    ['MAX_RENDER_QUEUE', '-1'],
    ['MAX_RENDERS_PER_USER', '0'],
  ] as const) {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name}: `));
  }
});
