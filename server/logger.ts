/**
 * A small structured logger: one JSON line per entry, filtered by level. Fields entered with
 * `enterLogContext` (a request's id) join every line logged from the same async chain.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { LogLevel } from './config.ts';

const context = new AsyncLocalStorage<Record<string, unknown>>();

/**
 * Adds `fields` to every line logged from here on in the current async chain (the rest of a
 * request, and the timers and promises it starts).
 */
export function enterLogContext(fields: Record<string, unknown>): void {
  context.enterWith(fields);
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** Logs with context fields; `child` adds fields to every entry. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

function describe(value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
}

/**
 * A logger writing JSON lines to stderr. A class, so that a child (one per sync connection)
 * costs one small object, not a set of closures.
 */
class JsonLineLogger implements Logger {
  constructor(
    /** The rank of the lowest level written (`RANK`). */
    private readonly threshold: number,
    private readonly base: Record<string, unknown>,
  ) {}

  debug(message: string, fields?: Record<string, unknown>): void {
    this.write('debug', message, fields);
  }

  info(message: string, fields?: Record<string, unknown>): void {
    this.write('info', message, fields);
  }

  warn(message: string, fields?: Record<string, unknown>): void {
    this.write('warn', message, fields);
  }

  error(message: string, fields?: Record<string, unknown>): void {
    this.write('error', message, fields);
  }

  child(fields: Record<string, unknown>): Logger {
    return new JsonLineLogger(this.threshold, { ...this.base, ...fields });
  }

  private write(entryLevel: Exclude<LogLevel, 'silent'>, message: string, fields?: Record<string, unknown>): void {
    if (RANK[entryLevel] < this.threshold) return;
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level: entryLevel, msg: message, ...context.getStore(), ...this.base };
    if (fields) for (const [key, value] of Object.entries(fields)) entry[key] = describe(value);
    process.stderr.write(`${JSON.stringify(entry)}\n`);
  }
}

/** Creates a logger writing JSON lines to stderr (stdout stays free for tools). */
export function createLogger(level: LogLevel, base: Record<string, unknown> = {}): Logger {
  return new JsonLineLogger(RANK[level], base);
}
