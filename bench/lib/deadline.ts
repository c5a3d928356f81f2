/** Time bounds: every wait in the suite ends, with an error naming what it waited for. */

/** Raised when a bounded wait runs out; the runner records it as the scenario's outcome. */
export class DeadlineError extends Error {
  override name = 'DeadlineError';
}

/** Resolves like `promise`, or rejects with a DeadlineError after `ms`. */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(`${what}: no result within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A promise that resolves after `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every `intervalMs` until it holds; rejects after `ms`. */
export async function waitUntil(condition: () => boolean, ms: number, what: string, intervalMs = 5): Promise<void> {
  const end = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > end) throw new DeadlineError(`${what}: not reached within ${ms} ms`);
    await sleep(intervalMs);
  }
}
