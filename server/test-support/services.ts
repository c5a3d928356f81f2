/**
 * Where the tests (and the benchmark's cluster scenario) find PostgreSQL and Redis, and the
 * error they fail with when a service is missing: never a silent skip, always the way to fix it.
 * `scripts/test-services.sh` installs and starts both and prints these variables.
 */
import { connect } from 'node:net';

export const TEST_SERVICES_SCRIPT = 'scripts/test-services.sh';
const HOW_TO_FIX = `Run \`eval "$(bash ${TEST_SERVICES_SCRIPT})"\` to install, start and point the tests at them`;

/** A database the tests may create throwaway databases and schemas in (the role needs CREATEDB). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** A Redis server the tests use for pub/sub. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A URL fit for an error message: the password is masked. */
export function redacted(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** The error a test throws when a service it needs cannot be reached. */
export function serviceUnavailable(service: 'PostgreSQL' | 'Redis', url: string, cause: unknown): Error {
  const variable = service === 'PostgreSQL' ? 'TEST_DATABASE_URL' : 'TEST_REDIS_URL';
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new Error(`${service} is needed for this test and is not reachable at ${redacted(url)} (${reason}). ${HOW_TO_FIX}, or set ${variable}.`);
}

/** The error when a program the tests start (e.g. `redis-server`) is not installed. */
export function programMissing(program: string, cause: unknown): Error {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new Error(`The program \`${program}\` is needed for this test (${reason}). ${HOW_TO_FIX}.`);
}

/** Resolves when Redis at `url` answers PING within `timeoutMs`; rejects with the fix otherwise. */
export function requireRedis(url: string = TEST_REDIS_URL, timeoutMs = 3_000): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port || 6379) });
    const fail = (cause: unknown) => {
      socket.destroy();
      reject(serviceUnavailable('Redis', url, cause));
    };
    const timer = setTimeout(() => fail(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    socket.once('error', (error) => {
      clearTimeout(timer);
      fail(error);
    });
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      clearTimeout(timer);
      socket.destroy();
      // +PONG, or -NOAUTH when a password is needed: either way a Redis server answered.
      if (data.toString().startsWith('+PONG') || data.toString().startsWith('-NOAUTH')) resolve();
      else reject(serviceUnavailable('Redis', url, new Error(`unexpected answer ${JSON.stringify(data.toString().slice(0, 40))}`)));
    });
  });
}
