import { describe, expect, test } from 'bun:test';
import type { ActivityEvent } from '../../../shared/activity.ts';
import { activityText, describeActivity, editSummary, truncate } from './format.ts';
import { appendLive, forDocument, mergeActivity } from './merge.ts';
import { parseActivityEvent } from './parse.ts';

const ada = { id: 'u1', name: 'Ada', color: '#4f46e5' };

function edited(id: number, inserted: number, deleted: number, excerpt: string, documentId = 'd1'): ActivityEvent {
  return {
    id,
    type: 'document.edited',
    documentId,
    documentTitle: 'Roadmap',
    actor: ada,
    at: '2025-03-10T12:00:00Z',
    details: { inserted, deleted, excerpt },
  };
}

describe('describeActivity', () => {
  test('an edit reads like the product spec', () => {
    expect(activityText(edited(1, 42, 3, 'ship the beta'))).toBe("Ada edited Roadmap: +42 \u22123 'ship the beta'");
  });

  test('edits without deletions or excerpt stay short', () => {
    expect(editSummary(5, 0, 'hello')).toBe("+5 'hello'");
    expect(editSummary(0, 7, '')).toBe('\u22127');
    expect(editSummary(0, 0, '')).toBe('+0');
  });

  test('rename, create and delete', () => {
    const base = { documentId: 'd1', documentTitle: 'Plan', actor: ada, at: '2025-03-10T12:00:00Z' };
    expect(activityText({ ...base, id: 2, type: 'document.renamed', details: { from: 'Roadmap', to: 'Plan' } })).toBe(
      'Ada renamed Roadmap to Plan',
    );
    expect(activityText({ ...base, id: 3, type: 'document.created', details: {} })).toBe('Ada created Plan');
    expect(activityText({ ...base, id: 4, type: 'document.deleted', details: {} })).toBe('Ada deleted Plan');
    expect(describeActivity({ ...base, documentTitle: '  ', id: 5, type: 'document.created', details: {} }).title).toBe(
      'Untitled',
    );
  });

  test('long excerpts are cut at a word with an ellipsis, markup stays text', () => {
    const long = 'word '.repeat(40);
    const shown = truncate(long, 30);
    expect(shown.length).toBeLessThanOrEqual(30);
    expect(shown.endsWith('…')).toBe(true);
    expect(activityText(edited(1, 9, 0, '<b>x</b>'))).toContain("'<b>x</b>'");
  });
});

describe('merging history and live events', () => {
  test('dedupes by id and sorts newest first', () => {
    const merged = mergeActivity([edited(3, 1, 0, 'c'), edited(1, 1, 0, 'a')], [edited(2, 1, 0, 'b'), edited(3, 1, 0, 'c')]);
    expect(merged.map((event) => event.id)).toEqual([3, 2, 1]);
  });

  test('appendLive ignores replays and keeps the buffer bounded', () => {
    let buffer = appendLive([], edited(1, 1, 0, 'a'), 2);
    buffer = appendLive(buffer, edited(2, 1, 0, 'b'), 2);
    const same = appendLive(buffer, edited(2, 1, 0, 'b'), 2);
    expect(same).toBe(buffer);
    buffer = appendLive(buffer, edited(3, 1, 0, 'c'), 2);
    expect(buffer.map((event) => event.id)).toEqual([3, 2]);
  });

  test('an out-of-order event lands in its place', () => {
    const buffer = appendLive([edited(5, 1, 0, 'e'), edited(3, 1, 0, 'c')], edited(4, 1, 0, 'd'), 10);
    expect(buffer.map((event) => event.id)).toEqual([5, 4, 3]);
  });

  test('filters by document', () => {
    const events = [edited(1, 1, 0, 'a', 'd1'), edited(2, 1, 0, 'b', 'd2')];
    expect(forDocument(events, 'd2').map((event) => event.id)).toEqual([2]);
    expect(forDocument(events, undefined)).toHaveLength(2);
  });
});

describe('parseActivityEvent', () => {
  test('accepts a well-formed event', () => {
    expect(parseActivityEvent(JSON.stringify(edited(7, 1, 0, 'x')))?.id).toBe(7);
  });

  test('rejects malformed payloads', () => {
    expect(parseActivityEvent('not json')).toBeNull();
    expect(parseActivityEvent(JSON.stringify({ ...edited(1, 1, 0, 'x'), type: 'document.exploded' }))).toBeNull();
    expect(parseActivityEvent(JSON.stringify({ ...edited(1, 1, 0, 'x'), details: { inserted: '1' } }))).toBeNull();
    expect(parseActivityEvent('null')).toBeNull();
  });
});
