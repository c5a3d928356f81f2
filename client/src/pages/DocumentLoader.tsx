/** Loads a document's metadata, then opens it; says so when it cannot be loaded. */
import type { User } from '../../../shared/dto.ts';
import { displayTitle } from '../activity/format.ts';
import { useDocument } from '../api/documents.ts';
import { hasStatus } from '../api/problem.ts';
import { usePageTitle } from '../components/hooks.ts';
import { LoadFailure, Loading } from '../components/LoadStates.tsx';
import { useShareToken } from '../sharing/shareToken.tsx';
import { DocumentNotice } from './DocumentNotice.tsx';
import { DocumentWorkspace } from './DocumentWorkspace.tsx';
import { UnsentTextRescue } from './UnsentTextRescue.tsx';

/** `user` null: a visitor without an account, on a secret link. */
export function DocumentLoader({ id, user }: { id: string; user: User | null }) {
  const document = useDocument(id, user?.id ?? null, useShareToken());
  usePageTitle(document.data ? displayTitle(document.data.title) : 'Document');

  if (document.data !== undefined) return <DocumentWorkspace key={id} document={document.data} user={user} />;
  if (hasStatus(document.error, 404)) {
    return <DocumentNotice kind="not-found">{user !== null && <UnsentTextRescue userId={user.id} documentId={id} />}</DocumentNotice>;
  }
  if (document.isError) {
    return <LoadFailure what="The document could not be loaded." error={document.error} onRetry={() => void document.refetch()} />;
  }
  return <Loading>Opening document…</Loading>;
}
