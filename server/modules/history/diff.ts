/**
 * The difference between two revisions as a document a person can read: the later revision's
 * content with the text inserted since the earlier one marked `insertion` and the text deleted
 * since then kept in place and marked `deletion`, each with its author. Read from one Y.Doc that
 * holds both states (garbage collection off) through Yjs snapshots, not by diffing text.
 */
import type { JSONContent } from '@tiptap/core';
import * as Y from 'yjs';
import type { UserRef } from '../../../shared/dto.ts';

/** Who inserted and who deleted a struct, if known. */
export interface Authorship {
  inserted(id: Y.ID): UserRef | null;
  deleted(id: Y.ID): UserRef | null;
}

type Change = { type: 'added' | 'removed'; author: UserRef | null };

/** Whether a struct is part of the document at a snapshot. */
function visible(item: Y.Item, snapshot: Y.Snapshot): boolean {
  return (snapshot.sv.get(item.id.client) ?? 0) > item.id.clock && !Y.isDeleted(snapshot.ds, item.id);
}

/** Marks as y-prosemirror stores them (`bold`, or `name--hash` for overlapping ones) back to ProseMirror marks. */
function marksOf(attributes: Record<string, unknown> | undefined): NonNullable<JSONContent['marks']> {
  const marks: NonNullable<JSONContent['marks']> = [];
  for (const [key, value] of Object.entries(attributes ?? {})) {
    if (key === 'ychange') {
      const change = value as Change;
      marks.push({ type: change.type === 'added' ? 'insertion' : 'deletion', attrs: { author: change.author } });
      continue;
    }
    const type = key.split('--')[0]!;
    marks.push(value && typeof value === 'object' && Object.keys(value).length > 0 ? { type, attrs: value as Record<string, unknown> } : { type });
  }
  return marks;
}

/** The diff of `fragment` between two snapshots of its document, as ProseMirror JSON. */
export function diffDocument(fragment: Y.XmlFragment, to: Y.Snapshot, from: Y.Snapshot, authors: Authorship): JSONContent {
  const computeChange = (type: 'added' | 'removed', id: Y.ID): Change => ({ type, author: type === 'added' ? authors.inserted(id) : authors.deleted(id) });

  const textNodes = (text: Y.XmlText): JSONContent[] => {
    const ops = text.toDelta(to, from, computeChange) as { insert: unknown; attributes?: Record<string, unknown> }[];
    const nodes: JSONContent[] = [];
    for (const op of ops) {
      if (typeof op.insert !== 'string' || op.insert === '') continue;
      const marks = marksOf(op.attributes);
      nodes.push(marks.length > 0 ? { type: 'text', text: op.insert, marks } : { type: 'text', text: op.insert });
    }
    return nodes;
  };

  const children = (parent: Y.XmlFragment | Y.XmlElement): JSONContent[] => {
    const nodes: JSONContent[] = [];
    for (let item = parent._start; item !== null; item = item.right) {
      if (!(item.content instanceof Y.ContentType)) continue;
      if (!visible(item, to) && !visible(item, from)) continue;
      const child = item.content.type;
      if (child instanceof Y.XmlElement) nodes.push(element(child));
      else if (child instanceof Y.XmlText) nodes.push(...textNodes(child));
    }
    return nodes;
  };

  const element = (node: Y.XmlElement): JSONContent => {
    const attrs = node.getAttributes() as Record<string, unknown>;
    const content = children(node);
    return {
      type: node.nodeName,
      ...(Object.keys(attrs).length > 0 ? { attrs } : {}),
      ...(content.length > 0 ? { content } : {}),
    };
  };

  return { type: 'doc', content: children(fragment) };
}
