/** The selected revision: what it is, what it changed (marked by author), and what an editor can do with it. */
import type { Revision, UserRef } from '../../../shared/dto.ts';
import { useRevisionDiff } from '../api/history.ts';
import { LoadFailure, Loading } from '../components/LoadStates.tsx';
import { DiffView } from './DiffView.tsx';
import { NameVersionForm } from './NameVersionForm.tsx';
import { RestoreRevisionButton } from './RestoreRevisionButton.tsx';
import { RevisionDetails } from './RevisionTimeline.tsx';
import { revisionHeading } from './revisionText.ts';

interface RevisionPanelProps {
  documentId: string;
  revisionId: number;
  /** Compared against this revision instead of the one before. */
  from?: number;
  /** The revision's details, once the timeline has loaded them. */
  revision: Revision | undefined;
  /** The newest revision: the document as it is now, so there is nothing to restore, only to name. */
  isNewest: boolean;
  canEdit: boolean;
  nameOf: (person: UserRef) => string;
  /** Everyone the timeline shows, in its order, so the changes keep the colours of their avatars. */
  people: readonly UserRef[];
  /** Select a revision (the one just named or made by a restore). */
  onSelect: (revisionId: number) => void;
}

export function RevisionPanel({ documentId, revisionId, from, revision, isNewest, canEdit, nameOf, people, onSelect }: RevisionPanelProps) {
  const diff = useRevisionDiff(documentId, revisionId, from);
  const heading = revision === undefined ? `Version ${revisionId}` : revisionHeading(revision, nameOf);
  return (
    <section className="revision-panel" aria-label="Selected version">
      <div className="revision-panel-header">
        <div>
          <h2>{heading}</h2>
          {revision !== undefined && (
            <p className="muted small">
              <RevisionDetails revision={revision} nameOf={nameOf} />
            </p>
          )}
        </div>
        {canEdit && (
          <div className="revision-actions">
            {isNewest ? (
              <NameVersionForm documentId={documentId} onNamed={(named) => onSelect(named.id)} />
            ) : (
              revision !== undefined && <RestoreRevisionButton documentId={documentId} revision={revision} onRestored={(made) => onSelect(made.id)} />
            )}
          </div>
        )}
      </div>
      {diff.isPending && <Loading>Loading changes…</Loading>}
      {diff.isError && <LoadFailure what="The changes could not be loaded." error={diff.error} onRetry={() => void diff.refetch()} />}
      {diff.data !== undefined && <DiffView document={diff.data} label={`${heading}: the document with its changes`} people={people} />}
    </section>
  );
}
