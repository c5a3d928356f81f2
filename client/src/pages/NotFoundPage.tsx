/** Any route that is not one of Quire's. */
import { Link } from 'wouter';
import { usePageTitle } from '../components/hooks.ts';

export function NotFoundPage() {
  usePageTitle('Not found');
  return (
    <main className="page centered" id="main">
      <div className="notice">
        <h1>Page not found</h1>
        <p>There is nothing at this address.</p>
        <Link to="/" className="button button-primary">
          Go to your documents
        </Link>
      </div>
    </main>
  );
}
