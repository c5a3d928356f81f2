/** Word counting for the editor's status line: the same rule as the activity feed's counts. */
export { countWords } from '../../../shared/words.ts';

/** "1 word", "12 words". */
export function wordCountLabel(count: number): string {
  return `${count.toLocaleString('en')} ${count === 1 ? 'word' : 'words'}`;
}
