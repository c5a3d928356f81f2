/** All documents, only those I own, or only those shared with me: three toggle buttons. */
import type { DocumentFilter } from '../../../shared/dto.ts';

const CHOICES: readonly { value: DocumentFilter | undefined; label: string }[] = [
  { value: undefined, label: 'All' },
  { value: 'owned', label: 'Owned by me' },
  { value: 'shared', label: 'Shared with me' },
];

export function OwnershipFilter({ value, onChange }: { value: DocumentFilter | undefined; onChange: (value: DocumentFilter | undefined) => void }) {
  return (
    <div className="ownership-filter" role="group" aria-label="Show">
      {CHOICES.map((choice) => (
        <button
          key={choice.label}
          type="button"
          className="button button-quiet"
          aria-pressed={choice.value === value}
          onClick={() => onChange(choice.value)}
        >
          {choice.label}
        </button>
      ))}
    </div>
  );
}
