/**
 * The two marks a diff carries, for the read-only Tiptap view: inserted text as `<ins>`, deleted
 * text (kept in place) as `<del>`, each in its author's colour and saying who in its tooltip.
 * Attributes are set through the DOM, never as markup, so a name cannot inject anything.
 */
import { Mark } from '@tiptap/core';
import { readAuthor, UNKNOWN_AUTHOR_COLOR, type ChangeAuthor, type ChangeKind } from './changes.ts';

/** Options of both marks: the colour of each author's changes in the diff shown. */
export interface ChangeMarkOptions {
  colorOf: (author: ChangeAuthor) => string;
}

const TAGS: Record<ChangeKind, { tag: 'ins' | 'del'; verb: string }> = {
  insertion: { tag: 'ins', verb: 'Added' },
  deletion: { tag: 'del', verb: 'Removed' },
};

function changeMark(kind: ChangeKind) {
  const { tag, verb } = TAGS[kind];
  return Mark.create<ChangeMarkOptions>({
    name: kind,
    // The view is read-only; nothing typed would extend a change.
    inclusive: false,
    addOptions() {
      return { colorOf: () => UNKNOWN_AUTHOR_COLOR };
    },
    addAttributes() {
      return { author: { default: null, rendered: false } };
    },
    parseHTML() {
      return [{ tag }];
    },
    renderHTML({ mark }) {
      const author = readAuthor(mark.attrs.author);
      return [
        tag,
        {
          class: `change change-${kind}`,
          'data-author-id': author?.id ?? '',
          title: author === null ? verb : `${verb} by ${author.name}`,
          style: `--author-color: ${this.options.colorOf(author)}`,
        },
        0,
      ];
    },
  });
}

export const Insertion = changeMark('insertion');
export const Deletion = changeMark('deletion');
