/**
 * `/s/:linkToken`: a document opened through its secret link, by an account (with the role the
 * link or their own access gives) or by a visitor without one (read-only). The page stays at the
 * link, so a reload opens it again, and every request about the document carries the token.
 */
import { useParams } from 'wouter';
import type { User } from '../../../shared/dto.ts';
import { DocumentActivityStreamProvider } from '../activity/ActivityStreamProvider.tsx';
import { useSharedLink } from '../api/access.ts';
import { hasStatus } from '../api/problem.ts';
import { usePageTitle } from '../components/hooks.ts';
import { LoadFailure, Loading } from '../components/LoadStates.tsx';
import { ShareTokenProvider } from '../sharing/shareToken.tsx';
import { DocumentLoader } from './DocumentLoader.tsx';
import { DocumentNotice } from './DocumentNotice.tsx';

function LinkContent({ linkToken, user }: { linkToken: string; user: User | null }) {
  const link = useSharedLink(linkToken);
  usePageTitle(link.isError ? 'Link not valid' : 'Document');
  if (link.data !== undefined) {
    return (
      <ShareTokenProvider token={linkToken}>
        <DocumentActivityStreamProvider documentId={link.data.documentId} share={linkToken}>
          <DocumentLoader id={link.data.documentId} user={user} />
        </DocumentActivityStreamProvider>
      </ShareTokenProvider>
    );
  }
  if (hasStatus(link.error, 404)) return <DocumentNotice kind="bad-link" />;
  if (link.isError) return <LoadFailure what="The link could not be opened." error={link.error} onRetry={() => void link.refetch()} />;
  return <Loading>Opening document…</Loading>;
}

export function SharedLinkPage({ user }: { user: User | null }) {
  const { linkToken = '' } = useParams();
  return (
    <main className="page page-wide" id="main">
      <LinkContent key={linkToken} linkToken={linkToken} user={user} />
    </main>
  );
}
