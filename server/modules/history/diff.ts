/**
 * The difference between two revisions as a document a person can read: the later revision's
 * content with the text inserted since the earlier one marked `insertion` and the text deleted
 * since then kept in place and marked `deletion`, each with its author. Read from one Y.Doc that
 * holds both states (garbage collection off) through Yjs snapshots, not by diffing text.
 */
import type { JSONContent } from '@tiptap/core';
import * as Y from 'yjs';
import type { UserRef } from '../../../shared/dto.ts';
import { DOCUMENT_FRAGMENT } from '../../../shared/protocol.ts';
import type { ChangePart } from './changes.ts';

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

  // One transaction for the whole walk: Yjs splits the structs a snapshot cuts once per
  // transaction, and every toDelta outside one would open its own (and split them again).
  return Y.transact(fragment.doc!, () => ({ type: 'doc', content: children(fragment) }));
}

/**
 * The diff of the state that `changes` add up to against that of their first `fromCount`, in one
 * pass over one document (deleted content kept): the earlier snapshot is taken midway. Who
 * inserted a struct is the author of the change that brought its client's clock forward; who
 * deleted it, the author of the change whose transaction deleted it.
 */
export function diffChanges(changes: readonly (readonly ChangePart[])[], fromCount: number, accounts: ReadonlyMap<string, UserRef>): JSONContent {
  const doc = new Y.Doc({ gc: false });
  const inserters = new Map<number, UserRef>();
  const deleters: { account: UserRef; ds: Y.Transaction['deleteSet'] }[] = [];
  // Clients of a part that waited for a later one: they are its author's, whoever's change let them in.
  const pinned = new Set<number>();
  const apply = (part: ChangePart) => {
    const account = part.userId ? accounts.get(part.userId) : undefined;
    if (!account) return void Y.applyUpdate(doc, part.update);
    const before = new Map<number, number>();
    for (const client of doc.store.clients.keys()) before.set(client, Y.getState(doc.store, client));
    Y.applyUpdate(doc, part.update);
    for (const client of doc.store.clients.keys()) {
      if (!pinned.has(client) && Y.getState(doc.store, client) > (before.get(client) ?? 0)) inserters.set(client, account);
    }
    if (doc.store.pendingStructs === null) return;
    for (const client of Y.parseUpdateMeta(part.update).from.keys()) {
      inserters.set(client, account);
      pinned.add(client);
    }
  };
  try {
    doc.transact(() => changes.slice(0, fromCount).forEach((parts) => parts.forEach(apply)));
    const from = Y.snapshot(doc);
    // Each later part in a transaction of its own, whose delete set is exactly what it deleted.
    const onTransaction = (transaction: Y.Transaction) => {
      const account = typeof transaction.origin === 'string' ? accounts.get(transaction.origin) : undefined;
      if (account && transaction.deleteSet.clients.size > 0) deleters.push({ account, ds: transaction.deleteSet });
    };
    doc.on('afterTransaction', onTransaction);
    for (const parts of changes.slice(fromCount)) for (const part of parts) doc.transact(() => apply(part), part.userId);
    doc.off('afterTransaction', onTransaction);
    const to = Y.snapshot(doc);
    return diffDocument(doc.getXmlFragment(DOCUMENT_FRAGMENT), to, from, {
      inserted: (id) => inserters.get(id.client) ?? null,
      deleted: (id) => deleters.find((deleter) => Y.isDeleted(deleter.ds, id))?.account ?? null,
    });
  } finally {
    doc.destroy();
  }
}
