/** Entry point: query cache, router, app. The boot script has already sent the first requests. */
import './boot.ts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError } from './api/problem.ts';
import { App } from './app/App.tsx';
import { prefetchOpeningQueries } from './app/openingQueries.ts';
import { registerServiceWorkerWhenReady } from './app/serviceWorker.ts';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      // Client errors will not fix themselves; network and server errors might.
      retry: (failures, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 3,
    },
  },
});

prefetchOpeningQueries(queryClient, window.location.pathname);

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);

// The dev server has no service worker to register.
if (import.meta.env.PROD) registerServiceWorkerWhenReady(window.location.pathname);
