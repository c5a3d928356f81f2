/** Word counting shared by the activity feed (server) and the editor's status line (client). */

const WORD = /[\p{L}\p{N}]+(?:['’.-][\p{L}\p{N}]+)*/gu;

/** How many words `text` holds: runs of letters and digits, with inner apostrophes, dots and hyphens ("don't", "3.5", "co-edit"). */
export function countWords(text: string): number {
  let count = 0;
  for (const _ of text.matchAll(WORD)) count++;
  return count;
}
