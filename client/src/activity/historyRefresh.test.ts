import { describe, expect, test } from 'bun:test';
import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { queryKeys } from '../api/keys.ts';
import { refetchHistoryAfterStreamStart } from './historyRefresh.ts';

/** A history endpoint whose answers the test releases one by one. */
function slowHistory() {
  const pending: ((items: string[]) => void)[] = [];
  return {
    fetches: () => pending.length,
    answer: (index: number, items: string[]) => pending[index]!(items),
    queryFn: () => new Promise<string[]>((resolve) => pending.push(resolve)),
  };
}

/** Resolves once `condition` holds; query work runs across several microtasks and timers. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let tries = 0; tries < 500; tries++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error(`never happened: ${what}`);
}

describe('history read again when a fresh stream opens', () => {
  test('a first read still under way is not trusted: the page shows what a read after the stream began returned', async () => {
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const history = slowHistory();
    // The activity page's query, mounted and reading for the first time.
    const observer = new QueryObserver(queryClient, { queryKey: queryKeys.activityHistory(undefined), queryFn: history.queryFn });
    const shown: (string[] | undefined)[] = [];
    const unsubscribe = observer.subscribe((result) => shown.push(result.data));
    expect(history.fetches()).toBe(1);

    // The stream opens; meanwhile someone creates a document the first read did not see.
    const refresh = refetchHistoryAfterStreamStart(queryClient);
    history.answer(0, ['older']);
    await until(() => history.fetches() === 2, 'a second read');
    history.answer(1, ['created Feed roadmap', 'older']);
    await refresh;

    expect(observer.getCurrentResult().data).toEqual(['created Feed roadmap', 'older']);
    expect(shown).not.toContainEqual(['older']);
    unsubscribe();
    queryClient.clear();
  });

  test('a history already shown stays on screen while it is read again', async () => {
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const history = slowHistory();
    const observer = new QueryObserver(queryClient, { queryKey: queryKeys.activityHistory('doc-1'), queryFn: history.queryFn });
    const unsubscribe = observer.subscribe(() => {});
    history.answer(0, ['first']);
    await until(() => observer.getCurrentResult().data !== undefined, 'the first read shown');
    expect(observer.getCurrentResult().data).toEqual(['first']);

    const refresh = refetchHistoryAfterStreamStart(queryClient);
    await until(() => history.fetches() === 2, 'a second read');
    expect(observer.getCurrentResult().data).toEqual(['first']);
    history.answer(1, ['second', 'first']);
    await refresh;
    expect(observer.getCurrentResult().data).toEqual(['second', 'first']);
    unsubscribe();
    queryClient.clear();
  });
});
