import { describe, expect, test } from 'bun:test';
import type { ActivityEvent } from '../../../shared/activity.ts';
import { lineText } from './format.ts';
import { describeGroup, groupActivity, GROUP_GAP_MS } from './group.ts';

const bob = { id: 'u-bob', name: 'Bob', color: '#059669' };
const ada = { id: 'u-ada', name: 'Ada', color: '#4f46e5' };
const start = Date.parse('2025-03-10T12:00:00Z');

function at(minutes: number): string {
  return new Date(start + minutes * 60_000).toISOString();
}

function created(id: number, actor = bob, minutes = id): ActivityEvent {
  return { id, type: 'document.created', documentId: `d${id}`, documentTitle: `Doc ${id}`, actor, at: at(minutes), details: {} };
}

function edited(id: number, documentId: string, words: { inserted: number; deleted: number } | undefined, actor = ada): ActivityEvent {
  return {
    id,
    type: 'document.edited',
    documentId,
    documentTitle: documentId === 'plan' ? 'Project plan' : 'Other',
    actor,
    at: at(id),
    details: { inserted: 10, deleted: 2, words, excerpt: `edit ${id}`, revisionId: id },
  };
}

/** The feed's lines as text, newest first. */
function lines(events: ActivityEvent[]): string[] {
  return groupActivity(events).map((group) => lineText(describeGroup(group, group.events[0].actor.name)));
}

describe('groupActivity', () => {
  test('a run of one person creating documents is one line', () => {
    const events = Array.from({ length: 45 }, (_, index) => created(45 - index));
    expect(lines(events)).toEqual(['Bob created 45 documents']);
    expect(groupActivity(events)[0]?.events).toHaveLength(45);
  });

  test('someone else in between ends the run, and a lone event reads as itself', () => {
    const events = [created(5), created(4), created(3, ada), created(2), created(1)];
    expect(lines(events)).toEqual(['Bob created 2 documents', 'Ada created Doc 3', 'Bob created 2 documents']);
  });

  test('edits group per document, adding up their words', () => {
    const events = [
      edited(4, 'plan', { inserted: 10, deleted: 1 }),
      edited(3, 'plan', { inserted: 3, deleted: 3 }),
      edited(2, 'other', { inserted: 5, deleted: 0 }),
      edited(1, 'plan', { inserted: 0, deleted: 2 }),
    ];
    expect(lines(events)).toEqual([
      'Ada made 2 edits to Project plan: added 13 words and removed 4',
      'Ada added 5 words to Other: “edit 2”',
      'Ada removed 2 words from Project plan: “edit 1”',
    ]);
  });

  test('edits of which one predates word counts add up characters', () => {
    expect(lines([edited(2, 'plan', { inserted: 3, deleted: 0 }), edited(1, 'plan', undefined)])).toEqual([
      'Ada made 2 edits to Project plan: added 20 characters and removed 4',
    ]);
  });

  test('renames and restores are never lumped together', () => {
    const base = { documentId: 'plan', documentTitle: 'Plan', actor: ada, at: at(0) };
    const events: ActivityEvent[] = [
      { ...base, id: 3, type: 'document.restored', details: { revisionId: 1 } },
      { ...base, id: 2, type: 'document.restored', details: { revisionId: 1 } },
      { ...base, id: 1, type: 'document.renamed', details: { from: 'A', to: 'B' } },
    ];
    expect(groupActivity(events)).toHaveLength(3);
  });

  test('events more than the gap apart stay apart', () => {
    const events = [created(2, bob, 0), created(1, bob, -GROUP_GAP_MS / 60_000 - 1)];
    expect(lines(events)).toEqual(['Bob created Doc 2', 'Bob created Doc 1']);
  });

  test("a run's key survives newer events joining it", () => {
    const before = groupActivity([created(2), created(1)]);
    const after = groupActivity([created(3), created(2), created(1)]);
    expect(after[0]?.key).toBe(before[0]!.key);
  });
});
