/** Word counting for the editor's status line. */

const WORD = /[\p{L}\p{N}]+(?:['’\-][\p{L}\p{N}]+)*/gu;

/** Counts words: runs of letters and digits, with inner apostrophes and hyphens kept. */
export function countWords(text: string): number {
  return text.match(WORD)?.length ?? 0;
}

/** "1 word", "12 words". */
export function wordCountLabel(count: number): string {
  return `${count.toLocaleString('en')} ${count === 1 ? 'word' : 'words'}`;
}
