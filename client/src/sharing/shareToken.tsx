/**
 * The secret link token the open document came through (`/s/:linkToken`), for every part of the
 * page that talks to the server about it: REST calls carry it as a header, the sync socket and the
 * activity stream as a query parameter. Null when the document was opened by account (`/d/:id`).
 */
import { createContext, useContext, type ReactNode } from 'react';

const ShareTokenContext = createContext<string | null>(null);

export function ShareTokenProvider({ token, children }: { token: string | null; children: ReactNode }) {
  return <ShareTokenContext.Provider value={token}>{children}</ShareTokenContext.Provider>;
}

/** The link token of the document on this page, or null. */
export function useShareToken(): string | null {
  return useContext(ShareTokenContext);
}
