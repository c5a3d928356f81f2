/**
 * The document schema as one list of Tiptap extensions, used by the editor in the browser and by
 * the server (validation, renderers, import and export), so both accept exactly the same nodes
 * and marks: StarterKit's nodes and marks (with links limited to http, https and mailto), tables,
 * task lists and block images that point at this server's attachments.
 */
import type { Extensions, JSONContent } from '@tiptap/core';
import { Blockquote } from '@tiptap/extension-blockquote';
import { Bold } from '@tiptap/extension-bold';
import { Code } from '@tiptap/extension-code';
import CodeBlock from '@tiptap/extension-code-block';
import { Document } from '@tiptap/extension-document';
import { HardBreak } from '@tiptap/extension-hard-break';
import { Heading } from '@tiptap/extension-heading';
import { HorizontalRule } from '@tiptap/extension-horizontal-rule';
import Image from '@tiptap/extension-image';
import { Italic } from '@tiptap/extension-italic';
import { Link, type LinkOptions } from '@tiptap/extension-link';
import { BulletList, ListItem, ListKeymap, OrderedList, TaskItem, TaskList } from '@tiptap/extension-list';
import { Paragraph } from '@tiptap/extension-paragraph';
import { Strike } from '@tiptap/extension-strike';
import { TableKit } from '@tiptap/extension-table';
import { Text } from '@tiptap/extension-text';
import { Underline } from '@tiptap/extension-underline';
// One file each: the package's index would bring its undo extension, and ProseMirror's history with it.
import { Dropcursor } from '@tiptap/extensions/drop-cursor';
import { Gapcursor } from '@tiptap/extensions/gap-cursor';
import { TrailingNode } from '@tiptap/extensions/trailing-node';
import { LINK_PROTOCOLS, isAttachmentSrc, isSafeLink } from './content-refs.ts';
// The link and image rules live apart so the server can apply them without loading Tiptap.
export { ATTACHMENT_PATH, LINK_PROTOCOLS, attachmentIdOf, isAttachmentSrc, isSafeLink } from './content-refs.ts';


export interface SchemaOptions {
  /** Link settings the editor changes (links not opened on click); the allowed schemes stay fixed. */
  link?: Partial<LinkOptions>;
  /** How the editor turns a stored image `src` into a URL to load (a link visitor adds its token). */
  imageUrl?: (src: string) => string;
}

/** The image node: block-level, only attachment URLs; anything else parsed from HTML is left out. */
function imageNode(imageUrl: ((src: string) => string) | undefined) {
  return Image.extend({
    parseHTML() {
      return [{ tag: 'img[src]', getAttrs: (element) => (isAttachmentSrc(element.getAttribute('src')) ? null : false) }];
    },
    renderHTML({ HTMLAttributes }) {
      const src = typeof HTMLAttributes.src === 'string' && imageUrl ? imageUrl(HTMLAttributes.src) : HTMLAttributes.src;
      return ['img', { ...HTMLAttributes, src }];
    },
  }).configure({ inline: false, allowBase64: false });
}

/** A fence longer than every run of backticks in `code`, so the code can never close it early. */
export function codeFence(code: string): string {
  const longest = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/** Code blocks whose Markdown fence always outlasts the code inside. */
const codeBlock = CodeBlock.extend({
  renderMarkdown: (node: JSONContent, helpers) => {
    const code = helpers.renderChildren(node.content ?? []);
    const fence = codeFence(code);
    const language = typeof node.attrs?.language === 'string' ? node.attrs.language.replace(/[`\s]/g, '') : '';
    return `${fence}${language}\n${code}\n${fence}`;
  },
});

/**
 * Every extension of the document schema. StarterKit's parts are listed one by one rather than
 * through StarterKit, which would bring ProseMirror's own undo history into the editor's bundle
 * even when turned off: the editor undoes through Yjs, and nothing else here edits.
 */
export function documentExtensions(options: SchemaOptions = {}): Extensions {
  return [
    Bold,
    Blockquote,
    BulletList,
    Code,
    Document,
    Dropcursor,
    Gapcursor,
    HardBreak,
    Heading,
    HorizontalRule,
    Italic,
    ListItem,
    ListKeymap,
    Link.configure({
      ...options.link,
      protocols: [...LINK_PROTOCOLS],
      defaultProtocol: 'https',
      isAllowedUri: (url) => isSafeLink(url),
    }),
    OrderedList,
    Paragraph,
    Strike,
    Text,
    Underline,
    TrailingNode,
    codeBlock,
    TableKit.configure({ table: { resizable: false } }),
    TaskList,
    TaskItem.configure({ nested: true }),
    imageNode(options.imageUrl),
  ];
}
