/**
 * Asks before the tab closes while the server has not confirmed every local edit. The edits are
 * kept in this browser and sync on the next visit, but the person may not come back on this device.
 */
import { useEffect } from 'react';

export function useUnsentWarning(unsent: boolean): void {
  useEffect(() => {
    if (!unsent) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [unsent]);
}
