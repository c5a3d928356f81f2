/** What someone who is not an owner sees in the share dialog: who has access, and a link to pass on. */
import type { DocumentAccess } from '../../../shared/dto.ts';
import { CopyField } from '../components/CopyField.tsx';
import { describeGeneral, linkToCopy } from './accessForm.ts';
import { PeopleWithAccess } from './PeopleWithAccess.tsx';
import { useShareToken } from './shareToken.tsx';

export function AccessSummary({ access, documentId, onClose }: { access: DocumentAccess; documentId: string; onClose: () => void }) {
  // Someone who came through the secret link passes on the page they have open.
  const visitedLink = useShareToken() === null ? null : window.location.href;
  return (
    <div className="share-form">
      <p className="muted">Only an owner can change who has access.</p>
      <PeopleWithAccess owner={access.owner} grants={access.grants} />
      <section className="access-section">
        <h3>General access</h3>
        <p>{describeGeneral(access.general)}</p>
      </section>
      <section className="access-section">
        <CopyField label="Link" value={linkToCopy(access, access.general.scope, documentId, window.location.origin, visitedLink)} />
      </section>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
