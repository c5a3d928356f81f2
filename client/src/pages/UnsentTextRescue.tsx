/**
 * When a document can no longer be edited (deleted, access lost) while this browser still holds
 * edits the server never confirmed: says so and lets the person copy the text, never dropping it
 * silently. Reads the live document when the editor had it open, else the copy kept in IndexedDB.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type * as Y from 'yjs';
import { DOCUMENT_FRAGMENT } from '../../../shared/protocol.ts';
import { documentText } from '../collab/documentText.ts';
import { discardLocalCopy, readLocalCopy } from '../collab/localCopies.ts';

interface RescueProps {
  userId: string;
  documentId: string;
  /** The open document, when there is one; otherwise the kept copy is read. */
  ydoc?: Y.Doc;
  /** Edits never confirmed, when the open document knows it. */
  unsent?: number;
}

interface Stranded {
  text: string;
  unsent: number;
}

function useStranded({ userId, documentId, ydoc, unsent }: RescueProps): Stranded | null {
  const [kept, setKept] = useState<Stranded | null>(null);
  useEffect(() => {
    if (ydoc !== undefined) return;
    let current = true;
    void readLocalCopy(userId, documentId).then((copy) => {
      // A copy with nothing unsent holds nothing worth keeping for a document that is gone.
      if (copy === null || copy.unsent <= 0) void discardLocalCopy(userId, documentId);
      if (current) setKept(copy);
    });
    return () => {
      current = false;
    };
  }, [userId, documentId, ydoc]);
  if (ydoc === undefined) return kept;
  return { text: documentText(ydoc.getXmlFragment(DOCUMENT_FRAGMENT)), unsent: unsent ?? 0 };
}

export function UnsentTextRescue(props: RescueProps) {
  const stranded = useStranded(props);
  const [shown, setShown] = useState(false);
  const [copied, setCopied] = useState<boolean | null>(null);
  const [discarded, setDiscarded] = useState(false);
  const textArea = useRef<HTMLTextAreaElement>(null);
  const headingId = useId();

  useEffect(() => {
    if (shown) textArea.current?.select();
  }, [shown]);

  if (stranded === null || stranded.unsent <= 0 || discarded) return null;
  const count = stranded.unsent === 1 ? '1 change' : `${stranded.unsent} changes`;

  const copy = async () => {
    setShown(true);
    try {
      await navigator.clipboard.writeText(stranded.text);
      setCopied(true);
    } catch {
      // No clipboard permission: the text is selected in the box below for a manual copy.
      setCopied(false);
    }
  };

  const discard = async () => {
    await discardLocalCopy(props.userId, props.documentId);
    setDiscarded(true);
  };

  return (
    <section className="rescue" aria-labelledby={headingId}>
      <h2 id={headingId}>Your unsent changes</h2>
      <p>
        {count} you made in this browser never reached the server. Copy the text to keep it somewhere else.
      </p>
      <div className="rescue-actions">
        <button type="button" className="button button-primary" onClick={() => void copy()}>
          Copy my unsent text
        </button>
        <button type="button" className="button button-quiet" onClick={() => void discard()}>
          Discard it
        </button>
      </div>
      <p role="status" className="muted">
        {copied === true && 'Copied to the clipboard.'}
        {copied === false && 'Select the text below and copy it.'}
      </p>
      {shown && <textarea ref={textArea} readOnly aria-label="Your unsent text" value={stranded.text} />}
    </section>
  );
}
