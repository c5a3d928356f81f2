/** Always-visible connection state of the editor. */
import { connectionDescription, connectionLabel, type ConnectionState } from './connection.ts';

export function ConnectionBadge({ state }: { state: ConnectionState }) {
  const description = connectionDescription(state);
  return (
    <div
      className="connection-badge"
      role="status"
      aria-label="Connection"
      data-phase={state.phase}
      data-unsent={state.unsent || undefined}
      title={description}
    >
      <span className="connection-dot" aria-hidden="true" />
      <span>{connectionLabel(state)}</span>
      <span className="visually-hidden">{description}</span>
    </div>
  );
}
