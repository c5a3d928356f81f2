/** TanStack Query keys, in one place so invalidation matches what was cached. */
export const queryKeys = {
  session: ['session'] as const,
  authConfig: ['auth-config'] as const,
  invite: (code: string) => ['invite', code] as const,
  users: ['users'] as const,
  userList: (q: string) => ['users', 'list', q] as const,
  documents: ['documents'] as const,
  documentList: (q: string, filter: string) => ['documents', 'list', q, filter] as const,
  document: (id: string) => ['documents', 'detail', id] as const,
  access: (id: string) => ['documents', 'access', id] as const,
  revisions: (id: string) => ['documents', 'revisions', id] as const,
  /** Outside `revisions`: a diff between two stored states never changes, a new revision does not touch it. */
  revisionDiff: (id: string, revisionId: number, from: number | undefined) => ['revision-diff', id, revisionId, from ?? 'previous'] as const,
  trash: ['trash'] as const,
  sharedLink: (linkToken: string) => ['links', linkToken] as const,
  activity: ['activity'] as const,
  activityHistory: (documentId: string | undefined) => ['activity', 'history', documentId ?? 'all'] as const,
};
