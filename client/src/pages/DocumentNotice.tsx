/** The message that replaces the editor when there is no document to edit. */
import type { ReactNode } from 'react';
import { Link } from 'wouter';
import type { DocumentDeletedEvent } from '../../../shared/activity.ts';
import { RelativeTime } from '../time/RelativeTime.tsx';

type NoticeKind = 'deleted' | 'not-found' | 'signed-out' | 'forbidden' | 'bad-link';

const HEADINGS: Record<NoticeKind, string> = {
  deleted: 'This document was deleted',
  'not-found': 'Document not found',
  'signed-out': 'You were signed out',
  forbidden: 'You no longer have access to this document',
  'bad-link': 'This link is invalid or was reset',
};

/** `children` goes below the message: the offer to copy unsent text, when there is some. */
export function DocumentNotice({
  kind,
  deletion,
  children,
}: {
  kind: NoticeKind;
  deletion?: DocumentDeletedEvent;
  children?: ReactNode;
}) {
  return (
    <div className="notice" role="alert">
      <h1>{HEADINGS[kind]}</h1>
      {kind === 'deleted' && (
        <p>
          {deletion ? (
            <>
              {deletion.actor.name} deleted “{deletion.documentTitle}” <RelativeTime at={deletion.at} />.{' '}
            </>
          ) : null}
          It is in its owner’s trash, from where they can restore it.
        </p>
      )}
      {kind === 'not-found' && <p>It may have been deleted, or the link is wrong.</p>}
      {kind === 'signed-out' && <p>Reload the page to sign in again.</p>}
      {kind === 'forbidden' && <p>Someone changed who may open it. Ask its owner to share it with you again.</p>}
      {kind === 'bad-link' && <p>Ask whoever sent it for a new one.</p>}
      {children}
      <Link to="/" className="button button-primary">
        Back to documents
      </Link>
    </div>
  );
}
