/** What an owner changes in the share dialog: people and their roles, general access, the link. */
import { useState, type FormEvent } from 'react';
import type { DocumentAccess } from '../../../shared/dto.ts';
import { useUpdateAccess } from '../api/access.ts';
import { CopyField } from '../components/CopyField.tsx';
import { FormError } from '../components/FormField.tsx';
import { accessChange, accessErrors, draftOf, isChanged, linkToCopy, withGeneral, withoutPerson, withPerson, withRole } from './accessForm.ts';
import { GeneralAccessFields } from './GeneralAccessFields.tsx';
import { PeoplePicker } from './PeoplePicker.tsx';
import { PeopleWithAccess } from './PeopleWithAccess.tsx';
import { ResetLinkButton } from './ResetLinkButton.tsx';

export function AccessEditor({ access, documentId, onClose }: { access: DocumentAccess; documentId: string; onClose: () => void }) {
  const [draft, setDraft] = useState(() => draftOf(access));
  const update = useUpdateAccess(documentId);
  const errors = accessErrors(update.error);
  const changed = isChanged(draft, access);
  const excluded = new Set([access.owner.id, ...draft.grants.map((grant) => grant.user.id)]);
  const linkIsLive = access.general.scope === 'link';

  const edit = (next: typeof draft) => {
    setDraft(next);
    update.reset();
  };
  const save = (event: FormEvent) => {
    event.preventDefault();
    update.mutate(accessChange(draft), { onSuccess: (saved) => setDraft(draftOf(saved)) });
  };

  return (
    <form className="share-form" onSubmit={save} aria-label="Access">
      <PeoplePicker excluded={excluded} onPick={(person) => edit(withPerson(draft, person))} />
      <PeopleWithAccess
        owner={access.owner}
        grants={draft.grants}
        onRole={(userId, role) => edit(withRole(draft, userId, role))}
        onRemove={(userId) => edit(withoutPerson(draft, userId))}
        error={errors.grants}
      />
      <GeneralAccessFields general={draft.general} onChange={(change) => edit(withGeneral(draft, change))} error={errors.general} />
      <section className="access-section">
        <CopyField
          label="Link"
          value={linkToCopy(access, draft.general.scope, documentId, window.location.origin, null)}
          note={draft.general.scope === 'link' && !linkIsLive ? 'Save to turn this link on.' : undefined}
        />
        {linkIsLive && <ResetLinkButton documentId={documentId} />}
      </section>
      <FormError message={errors.form} />
      <div className="dialog-actions">
        <p className="form-status" role="status">
          {update.isSuccess && !changed ? 'Saved.' : ''}
        </p>
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
        <button type="submit" className="button button-primary" disabled={update.isPending || !changed}>
          {update.isPending ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
