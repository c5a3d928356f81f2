/**
 * Keeps the caret after a letter just typed. A busy Chromium can handle a key press before the
 * selection change the editor made just before it (Enter, then the next letter at once): it puts
 * the letter into the empty paragraph but reports its caret before the letter, and ProseMirror,
 * which reads the caret back from the page, would then type the rest of the word in front of it
 * ("hip theS" for "Ship the"). ProseMirror works around the same behaviour for old Edge only.
 */
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, TextSelection } from '@tiptap/pm/state';

export const CaretAfterTypedText = Extension.create({
  name: 'caretAfterTypedText',
  // Last in line: an input rule that turns the text into something else ("- " a list) goes first.
  priority: 1,
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey('caretAfterTypedText'),
        props: {
          handleTextInput(view, from, to, text, typed) {
            // Only the plain insertion of typed text; a composition carries its own caret rules.
            if (view.composing || from !== to || text.length === 0) return false;
            const transaction = typed();
            const { selection } = transaction;
            // Typing leaves the caret after what it typed, never at the start of it.
            if (!selection.empty || selection.head !== from) return false;
            view.dispatch(transaction.setSelection(TextSelection.create(transaction.doc, from + text.length)));
            return true;
          },
        },
      }),
    ];
  },
});
