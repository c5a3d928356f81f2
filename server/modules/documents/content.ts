/**
 * Converts between Tiptap/ProseMirror JSON and the document's Yjs state, and renders the state
 * in the formats the content route offers. Uses the converters Tiptap ships (y-tiptap, Tiptap's
 * HTML, text and Markdown serializers) with the schema the editor uses (`shared/editor-schema.ts`),
 * so what the server renders is what the browser shows; unsafe links and foreign images are left
 * out of whatever is stored or rendered (`shared/content-safety.ts`). Rendering runs in the render workers
 * (`render-worker.ts`); only the conversion of a created document's content, bounded by
 * MAX_BODY_BYTES, runs on the server's event loop.
 */
import { getSchema, generateText, type JSONContent } from '@tiptap/core';
import { MarkdownManager } from '@tiptap/markdown';
import type { Mark, Node as ProseMirrorNode } from '@tiptap/pm/model';
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import type { ContentFormat } from '../../../shared/dto.ts';
import { DOCUMENT_FRAGMENT } from '../../../shared/protocol.ts';
import { sanitizeContent } from '../../../shared/content-safety.ts';
import { documentExtensions } from '../../../shared/editor-schema.ts';
import { tiptapHtml } from '../../lazy-module.ts';
import { InvalidContentError } from './content-types.ts';
import { checkStructure, tooDeep, type StructureLimits } from './structure.ts';

const extensions = documentExtensions();
const schema = getSchema(extensions);
let markdown: MarkdownManager | null = null;

/** The schema's extensions, for the other renderers (export) and parsers (import). */
export const schemaExtensions = extensions;

/** Throws when `node` nests blocks deeper than the limit; walks without recursion, so any depth is safe. */
function checkDepth(node: ProseMirrorNode, limits: StructureLimits): void {
  const stack: [ProseMirrorNode, number][] = [[node, 0]];
  while (stack.length > 0) {
    const [parent, depth] = stack.pop()!;
    parent.forEach((child) => {
      if (child.isText) return;
      if (depth + 1 > limits.maxNestingDepth) throw tooDeep(limits);
      stack.push([child, depth + 1]);
    });
  }
}

/**
 * Turns ProseMirror JSON into a Yjs update holding it as the `default` fragment. Called once,
 * when a document is created: seeding per connection would duplicate the content. Content past
 * the structure limits throws `DocumentTooComplexError`, as a frame carrying it would be refused.
 */
export function contentToUpdate(content: unknown, limits: StructureLimits): Uint8Array {
  let node: ProseMirrorNode;
  try {
    node = schema.nodeFromJSON(content !== null && typeof content === 'object' ? sanitizeContent(content as JSONContent) : content);
    if (node.type !== schema.topNodeType) throw new Error(`the root node must be "${schema.topNodeType.name}"`);
    node.check();
  } catch (error) {
    throw new InvalidContentError(error instanceof Error ? error.message : String(error));
  }
  // Before converting: y-tiptap's conversion recurses, and runs out of stack long before JSON parsing does.
  checkDepth(node, limits);
  const doc = new Y.Doc();
  prosemirrorJSONToYXmlFragment(schema, node.toJSON() as JSONContent, doc.getXmlFragment(DOCUMENT_FRAGMENT));
  checkStructure(doc.getXmlFragment(DOCUMENT_FRAGMENT), limits);
  return Y.encodeStateAsUpdate(doc);
}

function schemaMarks(marks: JSONContent['marks']): Mark[] {
  return (marks ?? []).flatMap((mark) => {
    const type = schema.marks[mark.type];
    if (!type) return [];
    try {
      return [type.create(mark.attrs ?? null)];
    } catch {
      return [];
    }
  });
}

/**
 * Rebuilds JSON read from the Yjs state as a node of the editor's schema. Any peer can write
 * any element into the shared fragment; like the editor (y-prosemirror drops what the schema
 * rejects), the renderer leaves out unknown nodes and marks and children that do not fit.
 */
function schemaNode(json: JSONContent): ProseMirrorNode | null {
  if (json.type === 'text') return json.text ? schema.text(json.text, schemaMarks(json.marks)) : null;
  const type = json.type ? schema.nodes[json.type] : undefined;
  if (!type) return null;
  let match = type.contentMatch;
  const children: ProseMirrorNode[] = [];
  for (const built of (json.content ?? []).map(schemaNode)) {
    if (!built) continue;
    const next = match.matchType(built.type);
    if (!next) continue;
    children.push(built.mark(built.marks.filter((mark) => type.allowsMarkType(mark.type))));
    match = next;
  }
  try {
    return type.createChecked(json.attrs ?? null, children, schemaMarks(json.marks));
  } catch {
    try {
      return type.createAndFill(json.attrs ?? null, children) ?? null;
    } catch {
      return null;
    }
  }
}

/** Writes ProseMirror JSON of the schema into `fragment`, inside the caller's transaction (a restore). */
export function writeFragment(content: JSONContent, fragment: Y.XmlFragment): void {
  prosemirrorJSONToYXmlFragment(schema, content, fragment);
}

/** The document's content as ProseMirror JSON of the editor's schema (an empty document if nothing was written). */
export function documentToJSON(doc: Y.Doc): JSONContent {
  const raw = yXmlFragmentToProsemirrorJSON(doc.getXmlFragment(DOCUMENT_FRAGMENT)) as JSONContent;
  const built = schemaNode(sanitizeContent({ ...raw, type: schema.topNodeType.name }));
  const json = built?.toJSON() as JSONContent | undefined;
  return json?.content?.length ? json : { type: 'doc', content: [{ type: 'paragraph' }] };
}

/**
 * Renders the document in one of the content route's formats; a document past the structure
 * limits throws `DocumentTooComplexError` before any recursive rendering starts.
 */
export function renderContent(doc: Y.Doc, format: ContentFormat, limits: StructureLimits): string {
  checkStructure(doc.getXmlFragment(DOCUMENT_FRAGMENT), limits);
  const json = documentToJSON(doc);
  switch (format) {
    case 'json':
      return JSON.stringify(json);
    case 'html':
      return tiptapHtml().generateHTML(json, extensions);
    case 'text':
      return generateText(json, extensions, { blockSeparator: '\n' });
    case 'markdown':
      markdown ??= new MarkdownManager({ extensions });
      return markdown.serialize(json);
  }
}
