/** The timeline of a document's revisions, newest first, each a link that selects it; older pages load as it scrolls. */
import { useId, useMemo } from 'react';
import { Link } from 'wouter';
import type { Revision, UserRef } from '../../../shared/dto.ts';
import type { useRevisions } from '../api/history.ts';
import { LoadFailure, Loading } from '../components/LoadStates.tsx';
import { useWhenVisible } from '../components/useWhenVisible.ts';
import { Avatar } from '../people/Avatar.tsx';
import { RelativeTime } from '../time/RelativeTime.tsx';
import { revisionDetails, revisionHeading } from './revisionText.ts';

/** Avatars shown per revision; the heading names everyone. */
const AVATARS_SHOWN = 3;

type NameOf = (person: UserRef) => string;
type ColorOf = (person: UserRef) => string;

/** The search of a link that selects `revisionId`. */
export function revisionSearch(revisionId: number): string {
  return `?revision=${revisionId}`;
}

/** A revision's details and time, "Added 13 words · 5 minutes ago". */
export function RevisionDetails({ revision, nameOf }: { revision: Revision; nameOf: NameOf }) {
  const details = revisionDetails(revision, nameOf);
  return (
    <>
      {details !== '' && `${details} · `}
      <RelativeTime at={revision.createdAt} />
    </>
  );
}

function RevisionItem({ revision, selected, nameOf, colorOf }: { revision: Revision; selected: boolean; nameOf: NameOf; colorOf: ColorOf }) {
  return (
    <li className="revision-item" data-kind={revision.kind}>
      <Link to={revisionSearch(revision.id)} className="revision-link" aria-current={selected ? 'true' : undefined}>
        <span className="revision-avatars">
          {revision.authors.slice(0, AVATARS_SHOWN).map((author) => (
            <Avatar key={author.id} person={{ ...author, color: colorOf(author) }} small title={nameOf(author)} />
          ))}
        </span>
        <span className="revision-text">
          {revision.kind === 'named' && <span className="revision-badge">Named</span>}{' '}
          <strong className="revision-heading">{revisionHeading(revision, nameOf)}</strong>{' '}
          <span className="revision-meta">
            <RevisionDetails revision={revision} nameOf={nameOf} />
          </span>
        </span>
      </Link>
    </li>
  );
}

export function RevisionTimeline({
  revisions,
  selectedId,
  nameOf,
  colorOf,
}: {
  revisions: ReturnType<typeof useRevisions>;
  selectedId: number | null;
  nameOf: NameOf;
  /** Each author's colour, the same their changes are marked in. */
  colorOf: ColorOf;
}) {
  const headingId = useId();
  const items = useMemo(() => revisions.data?.pages.flatMap((page) => page.items) ?? [], [revisions.data]);
  const canLoadMore = revisions.hasNextPage && !revisions.isFetchingNextPage;
  const sentinel = useWhenVisible<HTMLButtonElement>(() => void revisions.fetchNextPage(), canLoadMore);

  return (
    <section className="revision-timeline" aria-labelledby={headingId}>
      <h2 id={headingId}>Versions</h2>
      {revisions.isPending && <Loading>Loading versions…</Loading>}
      {revisions.isError && items.length === 0 && (
        <LoadFailure what="The versions could not be loaded." error={revisions.error} onRetry={() => void revisions.refetch()} />
      )}
      {revisions.isSuccess && items.length === 0 && <p className="muted">No versions yet: they are saved as people edit.</p>}
      {items.length > 0 && (
        <ol className="revision-list" aria-labelledby={headingId}>
          {items.map((revision) => (
            <RevisionItem key={revision.id} revision={revision} selected={revision.id === selectedId} nameOf={nameOf} colorOf={colorOf} />
          ))}
        </ol>
      )}
      {revisions.hasNextPage && (
        <button ref={sentinel} type="button" className="button button-quiet load-more" onClick={() => void revisions.fetchNextPage()} disabled={!canLoadMore}>
          {revisions.isFetchingNextPage ? 'Loading…' : 'Show older versions'}
        </button>
      )}
    </section>
  );
}
