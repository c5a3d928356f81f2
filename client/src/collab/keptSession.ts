/**
 * The collaboration of the document whose pages (`/d/:id` and `/d/:id/history`) are open: one
 * session for both, so going to the history and back keeps the Y.Doc, the connection and the
 * undo history (a restore made from the history page is then Ctrl+Z in the editor).
 */
import { createContext, useContext } from 'react';
import type { useCollaboration } from './useCollaboration.ts';

/** What `useCollaboration` reports, for one document. */
export interface KeptSession {
  documentId: string;
  collaboration: ReturnType<typeof useCollaboration>;
}

export const KeptSessionContext = createContext<KeptSession | null>(null);

/** The kept collaboration of `documentId`, if a page above keeps one. */
export function useKeptSession(documentId: string): KeptSession['collaboration'] | null {
  const kept = useContext(KeptSessionContext);
  return kept !== null && kept.documentId === documentId ? kept.collaboration : null;
}
