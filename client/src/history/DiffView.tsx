/**
 * A revision's changes, read-only: the document as it was, with inserted and deleted text marked
 * in each author's colour, and a legend of who is who. Rendered by Tiptap from the diff's JSON with
 * the document's own schema, so no server markup is ever injected.
 */
import type { JSONContent } from '@tiptap/core';
import { EditorContent, useEditor } from '@tiptap/react';
import { useMemo } from 'react';
import type { UserRef } from '../../../shared/dto.ts';
import { sanitizeContent } from '../../../shared/content-safety.ts';
import { documentExtensions } from '../../../shared/editor-schema.ts';
import { useDistinctNames } from '../people/useDistinctNames.ts';
import { Deletion, Insertion } from './changeMarks.ts';
import { authorColors, diffAuthors, type DiffAuthor } from './changes.ts';

function whatTheyDid({ inserted, deleted }: DiffAuthor): string {
  if (inserted && deleted) return 'added and removed';
  return inserted ? 'added' : 'removed';
}

function ChangeLegend({ authors, colorOf }: { authors: readonly DiffAuthor[]; colorOf: ReturnType<typeof authorColors> }) {
  const people = useMemo(() => authors.flatMap(({ author }) => (author === null ? [] : [author])), [authors]);
  const nameOf = useDistinctNames(people);
  if (authors.length === 0) return <p className="muted">No text changed in this version.</p>;
  return (
    <ul className="change-legend" aria-label="Who changed what">
      {authors.map((entry) => (
        <li key={entry.author?.id ?? ''}>
          <span className="change-swatch" style={{ backgroundColor: colorOf(entry.author) }} aria-hidden="true" />
          {entry.author === null ? 'Unknown' : nameOf(entry.author)} {whatTheyDid(entry)}
        </li>
      ))}
      <li className="muted" aria-hidden="true">
        <ins className="change change-insertion">added</ins> · <del className="change change-deletion">removed</del>
      </li>
    </ul>
  );
}

/**
 * `document`: a diff's ProseMirror JSON; `label` names the rendered document for assistive
 * technology; `people`: the authors the page already shows, whose colours the marks keep.
 */
export function DiffView({ document, label, people }: { document: JSONContent; label: string; people: readonly UserRef[] }) {
  const authors = useMemo(() => diffAuthors(document), [document]);
  const colorOf = useMemo(() => authorColors([...people, ...authors.map((entry) => entry.author)]), [people, authors]);
  const editor = useEditor(
    {
      extensions: [...documentExtensions(), Insertion.configure({ colorOf }), Deletion.configure({ colorOf })],
      // Whatever a peer put in the document, no unsafe link or foreign image is rendered.
      content: sanitizeContent(document),
      editable: false,
      editorProps: { attributes: { class: 'prose diff-prose', 'aria-label': label, 'aria-readonly': 'true' } },
      immediatelyRender: true,
      shouldRerenderOnTransaction: false,
    },
    [document, colorOf],
  );
  return (
    <div className="diff-view">
      <ChangeLegend authors={authors} colorOf={colorOf} />
      <EditorContent editor={editor} className="diff-surface" />
    </div>
  );
}
