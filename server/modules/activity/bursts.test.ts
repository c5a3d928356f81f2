/** Edits coalesce into one burst per user and document, ending when idle, at the max span, or on flush. */
import { afterEach, describe, expect, test } from 'bun:test';
import type { UserIdentity } from '../../../shared/dto.ts';
import { waitFor } from '../../test-support/harness.ts';
import { BurstCoalescer, type Burst } from './bursts.ts';

const ada: UserIdentity = { id: 'u-ada', name: 'Ada', color: '#f00' };
const bob: UserIdentity = { id: 'u-bob', name: 'Bob', color: '#00f' };
const typed = (text: string) => ({ inserted: text.length, deleted: 0, excerpt: text });

let coalescers: BurstCoalescer[] = [];

function coalescer(idleMs: number, maxSpanMs: number): { bursts: Burst[]; coalescer: BurstCoalescer } {
  const bursts: Burst[] = [];
  const created = new BurstCoalescer(idleMs, maxSpanMs, (burst) => bursts.push(burst));
  coalescers.push(created);
  return { bursts, coalescer: created };
}

afterEach(() => {
  for (const c of coalescers) c.flush();
  coalescers = [];
});

describe('edit bursts', () => {
  test('edits by one user on one document coalesce into one burst that ends when idle', async () => {
    const { bursts, coalescer: c } = coalescer(60, 10_000);
    c.add('doc-1', ada, typed('Hel'));
    c.add('doc-1', ada, typed('lo'));
    c.add('doc-1', ada, { inserted: 0, deleted: 2, excerpt: '' });
    expect(bursts).toHaveLength(0);
    await waitFor(() => bursts.length === 1, 2000, 'idle end');
    expect(bursts[0]).toMatchObject({ documentId: 'doc-1', actor: ada, inserted: 5, deleted: 2, excerpt: 'Hello' });
    c.add('doc-1', ada, typed('again'));
    await waitFor(() => bursts.length === 2, 2000, 'second burst');
    expect(bursts[1]).toMatchObject({ inserted: 5, excerpt: 'again' });
  });

  test('an edit within the idle time extends the burst', async () => {
    const { bursts, coalescer: c } = coalescer(80, 10_000);
    const start = performance.now();
    c.add('doc-1', ada, typed('a'));
    await Bun.sleep(50);
    c.add('doc-1', ada, typed('b'));
    await waitFor(() => bursts.length === 1, 2000, 'idle end');
    expect(performance.now() - start).toBeGreaterThanOrEqual(120);
    expect(bursts[0]?.excerpt).toBe('ab');
  });

  test('a burst of continuous editing ends at the maximum span', async () => {
    const { bursts, coalescer: c } = coalescer(100, 150);
    const start = performance.now();
    let sent = 0;
    while (performance.now() - start < 400) {
      c.add('doc-1', ada, typed('x'));
      sent++;
      await Bun.sleep(20);
    }
    await waitFor(() => bursts.reduce((sum, b) => sum + b.inserted, 0) === sent, 2000, 'every edit in a burst');
    expect(bursts.length).toBeGreaterThanOrEqual(2);
    for (const burst of bursts) expect(burst.endedAt - burst.startedAt).toBeLessThanOrEqual(150);
  });

  test('the maximum span ends a burst even if the user then stops typing', async () => {
    const { bursts, coalescer: c } = coalescer(1000, 100);
    const start = performance.now();
    c.add('doc-1', ada, typed('a'));
    await Bun.sleep(60);
    c.add('doc-1', ada, typed('b'));
    await waitFor(() => bursts.length === 1, 2000, 'span end');
    // Ends at the span (100 ms after the start), not a full idle period after the last edit.
    expect(performance.now() - start).toBeLessThan(600);
    expect(bursts[0]?.excerpt).toBe('ab');
  });

  test('two users on one document get separate bursts', async () => {
    const { bursts, coalescer: c } = coalescer(50, 10_000);
    c.add('doc-1', ada, typed('from Ada'));
    c.add('doc-1', bob, typed('from Bob'));
    c.add('doc-1', ada, typed('!'));
    await waitFor(() => bursts.length === 2, 2000, 'two bursts');
    const byUser = new Map(bursts.map((b) => [b.actor.id, b]));
    expect(byUser.get(ada.id)).toMatchObject({ inserted: 9, excerpt: 'from Ada!' });
    expect(byUser.get(bob.id)).toMatchObject({ inserted: 8, excerpt: 'from Bob' });
  });

  test('one user on two documents gets a burst per document', () => {
    const { bursts, coalescer: c } = coalescer(10_000, 10_000);
    c.add('doc-1', ada, typed('one'));
    c.add('doc-2', ada, typed('two'));
    c.flush();
    expect(bursts.map((b) => [b.documentId, b.excerpt]).sort()).toEqual([
      ['doc-1', 'one'],
      ['doc-2', 'two'],
    ]);
  });

  test('flush (shutdown) ends every open burst at once, and only once', async () => {
    const { bursts, coalescer: c } = coalescer(50, 10_000);
    c.add('doc-1', ada, typed('unsaved'));
    c.add('doc-2', bob, typed('also'));
    c.flush();
    expect(bursts).toHaveLength(2);
    await Bun.sleep(100); // the idle timers must not fire a second time
    expect(bursts).toHaveLength(2);
  });

  test('flushing one document leaves the others open', () => {
    const { bursts, coalescer: c } = coalescer(10_000, 10_000);
    c.add('doc-1', ada, typed('one'));
    c.add('doc-2', ada, typed('two'));
    c.flush('doc-1');
    expect(bursts.map((b) => b.documentId)).toEqual(['doc-1']);
  });

  test('the excerpt of a long burst is capped at 120 characters and a transaction with no text change is ignored', () => {
    const { bursts, coalescer: c } = coalescer(10_000, 10_000);
    c.add('doc-1', ada, { inserted: 0, deleted: 0, excerpt: '' });
    for (let i = 0; i < 50; i++) c.add('doc-1', ada, typed('abcde'));
    c.flush();
    expect(bursts).toHaveLength(1);
    expect(bursts[0]?.inserted).toBe(250);
    expect(bursts[0]?.excerpt).toHaveLength(120);
  });
});
