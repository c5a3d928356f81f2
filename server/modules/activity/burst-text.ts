/**
 * What an edit burst left: the text it created that still stands at its end, read from the live
 * document through the burst's own struct ranges. Text typed and deleted within the burst is
 * gone from it, so an event counts only what a reader will find (typed-then-undone is not news).
 */
import * as Y from 'yjs';
import { countWords } from '../../../shared/words.ts';
import type { CreatedRanges } from './created-ranges.ts';
import { EXCERPT_LENGTH, isWithin } from './edit-stats.ts';

/** The surviving text of a burst: characters, words, and a short excerpt with block breaks as "\n". */
export interface SurvivingText {
  chars: number;
  words: number;
  excerpt: string;
}

/** Reads what of `created` still stands under `fragment`. */
export function survivingText(fragment: Y.XmlFragment, created: CreatedRanges): SurvivingText {
  const doc = fragment.doc;
  if (!doc) return { chars: 0, words: 0, excerpt: '' };
  const known = new Map<unknown, boolean>();
  const pieces: string[] = [];
  let chars = 0;
  let lastParent: unknown = null;
  created.forEachStruct(doc, (struct, from, to) => {
    if (!(struct instanceof Y.Item) || struct.deleted || !isWithin(struct.parent as Y.AbstractType<unknown>, fragment, known)) return;
    const content = struct.content;
    if (content instanceof Y.ContentType && content.type instanceof Y.XmlElement) {
      pieces.push('\n');
      lastParent = null;
    } else if (content instanceof Y.ContentString) {
      // Text of another block than the piece before reads as a new line.
      if (lastParent !== null && struct.parent !== lastParent && pieces[pieces.length - 1] !== '\n') pieces.push('\n');
      const piece = content.str.slice(from - struct.id.clock, to - struct.id.clock);
      pieces.push(piece);
      chars += piece.length;
      lastParent = struct.parent;
    } else if (content instanceof Y.ContentEmbed) {
      chars += 1;
    }
  });
  const text = pieces.join('');
  const excerpt = text.replace(/\n{2,}/g, '\n').replace(/^\n+/, '').slice(0, EXCERPT_LENGTH).replace(/\s+$/, '');
  return { chars, words: countWords(text), excerpt };
}
