/** Relative times for lists and feeds ("just now", "5 minutes ago", "yesterday"). */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const relativeFormat = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const dateFormat = new Intl.DateTimeFormat('en', { year: 'numeric', month: 'short', day: 'numeric' });

/**
 * Describes `then` relative to `now`, coarsening as it gets older; after a week it shows the date.
 * Times slightly in the future (clock skew between server and browser) count as "just now".
 */
export function relativeTime(then: Date | string, now: Date = new Date()): string {
  const date = typeof then === 'string' ? new Date(then) : then;
  const time = date.getTime();
  if (Number.isNaN(time)) return '';
  const elapsed = now.getTime() - time;
  if (elapsed < 45 * SECOND) return 'just now';
  if (elapsed < HOUR) return relativeFormat.format(-Math.max(1, Math.round(elapsed / MINUTE)), 'minute');
  if (elapsed < DAY) return relativeFormat.format(-Math.round(elapsed / HOUR), 'hour');
  if (elapsed < 7 * DAY) return relativeFormat.format(-Math.round(elapsed / DAY), 'day');
  return dateFormat.format(date);
}

/** How long until `relativeTime(then)` may change, so a clock only ticks as often as needed. */
export function nextTickDelay(then: Date | string, now: Date = new Date()): number {
  const elapsed = now.getTime() - new Date(then).getTime();
  if (elapsed < HOUR) return 15 * SECOND;
  if (elapsed < DAY) return 5 * MINUTE;
  return HOUR;
}

/** An absolute, human-readable timestamp for tooltips and `<time>` titles. */
export function absoluteTime(then: Date | string): string {
  const date = typeof then === 'string' ? new Date(then) : then;
  return date.toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' });
}
