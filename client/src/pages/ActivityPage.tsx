/** `/activity`: what happened across all documents, live. */
import { useId } from 'react';
import { ActivityFeed } from '../activity/ActivityFeed.tsx';
import { usePageTitle } from '../components/hooks.ts';

export function ActivityPage() {
  usePageTitle('Activity');
  const headingId = useId();
  return (
    <main className="page activity-page" id="main">
      <section aria-labelledby={headingId}>
        <h1 id={headingId}>Activity</h1>
        <ActivityFeed />
      </section>
    </main>
  );
}
