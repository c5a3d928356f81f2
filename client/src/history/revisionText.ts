/** How the timeline tells revisions apart: a label or who wrote it, and what changed, in words. */
import type { Revision, UserRef } from '../../../shared/dto.ts';
import { changePhrase } from '../activity/format.ts';

/** Names as a reader lists them: "Ada", "Ada and Bob", "Ada, Bob and Cy", "Ada, Bob and 3 others". */
export function listNames(names: readonly string[], shown = 3): string {
  if (names.length === 0) return '';
  if (names.length === 1) return names[0]!;
  if (names.length <= shown) return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  const rest = names.length - (shown - 1);
  return `${names.slice(0, shown - 1).join(', ')} and ${rest} others`;
}

/** The revision's heading: a named version's label; else what made it and who. */
export function revisionHeading(revision: Revision, nameOf: (person: UserRef) => string = (person) => person.name): string {
  const label = revision.label?.trim();
  if (revision.kind === 'named') return label || 'Named version';
  if (revision.kind === 'restore') return label || 'Restored an earlier version';
  return listNames(revision.authors.map(nameOf)) || 'Edit';
}

/** "Added 13 words and removed 4", or that the words stayed the same (formatting, punctuation). */
export function revisionChanges(revision: Revision): string {
  const phrase = changePhrase({ ...revision.words, unit: 'word' });
  if (phrase !== null) return phrase[0]!.toUpperCase() + phrase.slice(1);
  return revision.inserted + revision.deleted > 0 ? 'Changed formatting or punctuation' : 'No changes to the text';
}

/** What the timeline says under a heading: an edit's changes; who named a version; who restored and what it changed. */
export function revisionDetails(revision: Revision, nameOf: (person: UserRef) => string = (person) => person.name): string {
  const names = listNames(revision.authors.map(nameOf));
  if (revision.kind === 'edit') return revisionChanges(revision);
  if (revision.kind === 'named') return names === '' ? '' : `by ${names}`;
  const changed = revision.inserted + revision.deleted > 0 ? revisionChanges(revision) : '';
  return [names, changed].filter((part) => part !== '').join(' · ');
}
