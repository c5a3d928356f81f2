/** Who reaches the document beyond the people listed, and with which role. */
import { useId } from 'react';
import { ACCESS_SCOPES, GENERAL_ROLES, type GeneralAccess, type GeneralRole, type AccessScope } from '../../../shared/dto.ts';
import { SCOPE_LABELS } from './accessForm.ts';

const GENERAL_ROLE_LABELS: Record<GeneralRole, string> = { viewer: 'Can view', editor: 'Can edit' };

export function GeneralAccessFields({
  general,
  onChange,
  error,
}: {
  general: GeneralAccess;
  onChange: (change: Partial<GeneralAccess>) => void;
  error: string | null;
}) {
  const scopeId = useId();
  const errorId = useId();
  const describedBy = error ? errorId : undefined;
  return (
    <section className="access-section">
      <h3>
        <label htmlFor={scopeId}>General access</label>
      </h3>
      <div className="general-access">
        <select
          id={scopeId}
          className="input"
          value={general.scope}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          onChange={(event) => onChange({ scope: event.target.value as AccessScope })}
        >
          {ACCESS_SCOPES.map((scope) => (
            <option key={scope} value={scope}>
              {SCOPE_LABELS[scope]}
            </option>
          ))}
        </select>
        {general.scope !== 'private' && (
          <select
            className="input"
            aria-label="General access role"
            value={general.role}
            aria-describedby={describedBy}
            onChange={(event) => onChange({ role: event.target.value as GeneralRole })}
          >
            {GENERAL_ROLES.map((role) => (
              <option key={role} value={role}>
                {GENERAL_ROLE_LABELS[role]}
              </option>
            ))}
          </select>
        )}
      </div>
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </section>
  );
}
