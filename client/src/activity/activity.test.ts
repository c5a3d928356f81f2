import { describe, expect, test } from 'bun:test';
import type { ActivityEvent } from '../../../shared/activity.ts';
import { activityText, describeActivity, excerptLine, truncate } from './format.ts';
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

/** An edit as the server sends it since history: words counted, linked to its revision. */
function editedWords(words: { inserted: number; deleted: number }, excerpt = ''): ActivityEvent {
  const event = edited(1, words.inserted * 6, words.deleted * 6, excerpt);
  return { ...event, details: { ...event.details, words, revisionId: 7 } } as ActivityEvent;
}

describe('describeActivity', () => {
  test('an edit says how many words were added, to what, and quotes them', () => {
    expect(activityText({ ...editedWords({ inserted: 13, deleted: 0 }, 'This is the intro'), documentTitle: 'Project plan' })).toBe(
      'Ada added 13 words to Project plan: “This is the intro”',
    );
  });

  test('removals, both, one word, and big numbers read as sentences', () => {
    expect(activityText(editedWords({ inserted: 0, deleted: 4 }))).toBe('Ada removed 4 words from Roadmap');
    expect(activityText(editedWords({ inserted: 13, deleted: 4 }, 'ship it'))).toBe('Ada added 13 words and removed 4 in Roadmap: “ship it”');
    expect(activityText(editedWords({ inserted: 1, deleted: 0 }, 'ship'))).toBe('Ada added 1 word to Roadmap: “ship”');
    expect(activityText(editedWords({ inserted: 0, deleted: 1 }))).toBe('Ada removed 1 word from Roadmap');
    expect(activityText(editedWords({ inserted: 34_000, deleted: 0 }))).toBe('Ada added 34,000 words to Roadmap');
  });

  test('an edit that changed no words (punctuation, formatting) is an edit', () => {
    expect(activityText(editedWords({ inserted: 0, deleted: 0 }, '!'))).toBe('Ada edited Roadmap: “!”');
    expect(activityText(editedWords({ inserted: 0, deleted: 0 }))).toBe('Ada edited Roadmap');
  });

  test('events stored before words were counted speak of characters', () => {
    expect(activityText(edited(1, 42, 3, 'ship the beta'))).toBe('Ada added 42 characters and removed 3 in Roadmap: “ship the beta”');
    expect(activityText(edited(1, 0, 7, ''))).toBe('Ada removed 7 characters from Roadmap');
  });

  test('rename, create, delete and restore', () => {
    const base = { documentId: 'd1', documentTitle: 'Plan', actor: ada, at: '2025-03-10T12:00:00Z' };
    expect(activityText({ ...base, id: 2, type: 'document.renamed', details: { from: 'Roadmap', to: 'Plan' } })).toBe(
      'Ada renamed Roadmap to Plan',
    );
    expect(activityText({ ...base, id: 3, type: 'document.created', details: {} })).toBe('Ada created Plan');
    expect(activityText({ ...base, id: 4, type: 'document.deleted', details: {} })).toBe('Ada deleted Plan');
    expect(activityText({ ...base, id: 5, type: 'document.restored', details: { revisionId: 3 } })).toBe(
      'Ada restored Plan to an earlier version',
    );
    expect(describeActivity({ ...base, documentTitle: '  ', id: 6, type: 'document.created', details: {} }).object).toBe(
      'Untitled',
    );
  });

  test('block breaks in an excerpt show as ¶, empty blocks and runs of spaces do not', () => {
    expect(excerptLine('Project plan\nThis is the intro')).toBe('Project plan ¶ This is the intro');
    expect(excerptLine('\nOne\n\n\n  two   words \n')).toBe('One ¶ two words');
    expect(activityText(editedWords({ inserted: 6, deleted: 0 }, 'Project plan\nThis is the intro'))).toBe(
      'Ada added 6 words to Roadmap: “Project plan ¶ This is the intro”',
    );
  });

  test('long excerpts are cut at a word with an ellipsis, never after a dangling ¶, markup stays text', () => {
    const long = 'word '.repeat(40);
    const shown = truncate(long, 30);
    expect(shown.length).toBeLessThanOrEqual(30);
    expect(shown.endsWith('word…')).toBe(true);
    expect(excerptLine(`${'a'.repeat(20)}\n${'b'.repeat(40)}`, 30)).toBe(`${'a'.repeat(20)}…`);
    expect(activityText(edited(1, 9, 0, '<b>x</b>'))).toContain('“<b>x</b>”');
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
    const words = editedWords({ inserted: 2, deleted: 0 });
    expect(parseActivityEvent(JSON.stringify(words))?.id).toBe(1);
    expect(parseActivityEvent(JSON.stringify({ ...words, details: { ...words.details, words: { inserted: '2' } } }))).toBeNull();
    const restored = { ...words, type: 'document.restored', details: { revisionId: 3 } };
    expect(parseActivityEvent(JSON.stringify(restored))?.type).toBe('document.restored');
    expect(parseActivityEvent(JSON.stringify({ ...restored, details: {} }))).toBeNull();
  });
});
