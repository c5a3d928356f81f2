/** Calls back when an element scrolls into view: infinite lists load their next page this way. */
import { useEffect, useRef } from 'react';

/** A ref for the element to watch; `onVisible` runs each time it comes into view while `active`. */
export function useWhenVisible<T extends Element>(onVisible: () => void, active: boolean) {
  const element = useRef<T>(null);
  const callback = useRef(onVisible);
  callback.current = onVisible;
  useEffect(() => {
    const target = element.current;
    if (!active || target === null || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) callback.current();
    });
    observer.observe(target);
    return () => observer.disconnect();
  }, [active]);
  return element;
}
