/** A `<time>` that keeps its "5 minutes ago" current. */
import { useEffect, useState } from 'react';
import { absoluteTime, nextTickDelay, relativeTime } from './relative.ts';

export function RelativeTime({ at }: { at: string }) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setTimeout(() => setNow(new Date()), nextTickDelay(at, now));
    return () => clearTimeout(timer);
  }, [at, now]);
  return (
    <time dateTime={at} title={absoluteTime(at)}>
      {relativeTime(at, now)}
    </time>
  );
}
