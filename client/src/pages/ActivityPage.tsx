/** `/activity`: what happened across all documents, live, narrowed by person or document if asked. */
import { useId } from 'react';
import { ActivityFeed } from '../activity/ActivityFeed.tsx';
import { ActivityFilters, useActivityFilters } from '../activity/ActivityFilters.tsx';
import { usePageTitle } from '../components/hooks.ts';

export function ActivityPage() {
  usePageTitle('Activity');
  const headingId = useId();
  const filters = useActivityFilters();
  return (
    <main className="page activity-page" id="main">
      <section aria-labelledby={headingId}>
        <h1 id={headingId}>Activity</h1>
        <ActivityFilters filters={filters} />
        {/* A new feed per filter: its older pages and their loading start over. */}
        <ActivityFeed key={`${filters.documentId}:${filters.actorId}`} documentId={filters.documentId} actorId={filters.actorId} linkTitles />
      </section>
    </main>
  );
}
