/** Small general-purpose hooks. */
import { useEffect, useState } from 'react';

/** `value`, once it has stopped changing for `delayMs`. */
export function useDebouncedValue<T>(value: T, delayMs: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return debounced;
}

/** Sets the browser tab's title while mounted. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = title === '' ? 'Quire' : `${title} · Quire`;
  }, [title]);
}
