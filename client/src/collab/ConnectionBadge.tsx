/** Always-visible saving and connection state of the editor. */
import { useEffect, useState } from 'react';
import { connectionDescription, connectionLabel, isOffline, isSaved, unsentCount, type ConnectionState } from './connection.ts';

/** The current time, refreshed every second while `active` (for the age of a slow save). */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [active]);
  return active ? now : Date.now();
}

export function ConnectionBadge({ state }: { state: ConnectionState }) {
  const unsent = unsentCount(state);
  const now = useNow(unsent > 0 && !isOffline(state));
  const description = connectionDescription(state);
  return (
    <div
      className="connection-badge"
      role="status"
      aria-label="Connection"
      data-phase={isOffline(state) ? 'offline' : state.phase}
      data-saved={isSaved(state) || undefined}
      data-unsent={unsent > 0 ? unsent : undefined}
      title={description}
    >
      <span className="connection-dot" aria-hidden="true" />
      <span className="connection-label">{connectionLabel(state, now)}</span>
      <span className="visually-hidden">{description}</span>
    </div>
  );
}
