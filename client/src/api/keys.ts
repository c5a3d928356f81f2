/** TanStack Query keys, in one place so invalidation matches what was cached. */
export const queryKeys = {
  session: ['session'] as const,
  documents: ['documents'] as const,
  documentList: (q: string) => ['documents', 'list', q] as const,
  document: (id: string) => ['documents', 'detail', id] as const,
  activity: ['activity'] as const,
  activityHistory: (documentId: string | undefined) => ['activity', 'history', documentId ?? 'all'] as const,
};
