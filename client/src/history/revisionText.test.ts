import { describe, expect, test } from 'bun:test';
import type { Revision } from '../../../shared/dto.ts';
import { listNames, revisionChanges, revisionDetails, revisionHeading } from './revisionText.ts';

const ada = { id: 'u1', name: 'Ada' };
const bob = { id: 'u2', name: 'Bob' };

function revision(changes: Partial<Revision>): Revision {
  return {
    id: 1,
    kind: 'edit',
    label: null,
    createdAt: '2025-03-10T12:00:00Z',
    authors: [ada],
    inserted: 60,
    deleted: 0,
    words: { inserted: 13, deleted: 0 },
    ...changes,
  };
}

describe('revision text', () => {
  test('names are listed as a sentence, long lists end in "others"', () => {
    expect(listNames([])).toBe('');
    expect(listNames(['Ada'])).toBe('Ada');
    expect(listNames(['Ada', 'Bob'])).toBe('Ada and Bob');
    expect(listNames(['Ada', 'Bob', 'Cy'])).toBe('Ada, Bob and Cy');
    expect(listNames(['Ada', 'Bob', 'Cy', 'Di', 'Ed'])).toBe('Ada, Bob and 3 others');
  });

  test('an edit is headed by its authors, told apart as the caller names them', () => {
    expect(revisionHeading(revision({ authors: [ada, bob] }))).toBe('Ada and Bob');
    expect(revisionHeading(revision({ authors: [ada] }), (person) => `${person.name} (#${person.id})`)).toBe('Ada (#u1)');
    expect(revisionHeading(revision({ authors: [] }))).toBe('Edit');
  });

  test('a named version is headed by its label, a restore by what it did', () => {
    expect(revisionHeading(revision({ kind: 'named', label: ' Sent to the board ' }))).toBe('Sent to the board');
    expect(revisionHeading(revision({ kind: 'named', label: null }))).toBe('Named version');
    expect(revisionHeading(revision({ kind: 'restore' }))).toBe('Restored an earlier version');
    expect(revisionHeading(revision({ kind: 'restore', label: 'Restored revision 4' }))).toBe('Restored revision 4');
  });

  test('changes are counted in words', () => {
    expect(revisionChanges(revision({}))).toBe('Added 13 words');
    expect(revisionChanges(revision({ words: { inserted: 13, deleted: 4 } }))).toBe('Added 13 words and removed 4');
    expect(revisionChanges(revision({ words: { inserted: 0, deleted: 1 } }))).toBe('Removed 1 word');
    expect(revisionChanges(revision({ words: { inserted: 0, deleted: 0 }, inserted: 1 }))).toBe('Changed formatting or punctuation');
    expect(revisionChanges(revision({ words: { inserted: 0, deleted: 0 }, inserted: 0 }))).toBe('No changes to the text');
  });

  test('details say what an edit changed, who named a version, who restored and what that changed', () => {
    expect(revisionDetails(revision({ words: { inserted: 2, deleted: 1 } }))).toBe('Added 2 words and removed 1');
    expect(revisionDetails(revision({ kind: 'named', words: { inserted: 0, deleted: 0 }, inserted: 0 }))).toBe('by Ada');
    expect(revisionDetails(revision({ kind: 'restore', authors: [bob], words: { inserted: 6, deleted: 0 } }))).toBe('Bob · Added 6 words');
    // The state kept just before a restore: nobody made it, nothing changed.
    expect(revisionDetails(revision({ kind: 'restore', authors: [], inserted: 0, deleted: 0, words: { inserted: 0, deleted: 0 } }))).toBe('');
  });
});
