/**
 * The document's word count for the status line, counted when the browser is idle after a burst
 * of changes rather than on every keystroke: counting walks the whole document, which in a long
 * one costs more than the keystroke itself. The label lags the text by at most COUNT_DELAY_MS.
 */
import type { Editor } from '@tiptap/core';
import { useEffect, useState } from 'react';
import { countWords } from './wordCount.ts';

/** After a change, the count waits for the browser to be idle, but never longer than this. */
const COUNT_DELAY_MS = 500;

const wordsIn = (editor: Editor) => countWords(editor.state.doc.textBetween(0, editor.state.doc.content.size, ' ', ' '));

/** The number of words in `editor`'s document, a moment behind its changes. */
export function useWordCount(editor: Editor): number {
  const [words, setWords] = useState(() => wordsIn(editor));
  useEffect(() => {
    let pending: number | null = null;
    const count = () => {
      pending = null;
      if (!editor.isDestroyed) setWords(wordsIn(editor));
    };
    // One count per burst: a change while one is scheduled joins it.
    const schedule = () => {
      if (pending !== null) return;
      pending = typeof requestIdleCallback === 'function' ? requestIdleCallback(count, { timeout: COUNT_DELAY_MS }) : window.setTimeout(count, COUNT_DELAY_MS);
    };
    const cancel = () => {
      if (pending === null) return;
      if (typeof cancelIdleCallback === 'function') cancelIdleCallback(pending);
      else window.clearTimeout(pending);
    };
    schedule();
    editor.on('update', schedule);
    return () => {
      editor.off('update', schedule);
      cancel();
    };
  }, [editor]);
  return words;
}
