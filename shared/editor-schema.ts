/**
 * The document schema as one list of Tiptap extensions, used by the editor in the browser and by
 * the server (validation, renderers, import and export), so both accept exactly the same nodes
 * and marks: StarterKit (with links limited to http, https and mailto), tables, task lists and
 * block images that point at this server's attachments.
 */
import type { Extensions, JSONContent } from '@tiptap/core';
import CodeBlock from '@tiptap/extension-code-block';
import Image from '@tiptap/extension-image';
import { TaskItem, TaskList } from '@tiptap/extension-list';
import { TableKit } from '@tiptap/extension-table';
import StarterKit, { type StarterKitOptions } from '@tiptap/starter-kit';

/** Link schemes a document may carry; anything else (javascript:, data:, file:...) is refused. */
export const LINK_PROTOCOLS = ['http', 'https', 'mailto'] as const;

const SAFE_LINK = /^(?:https?:\/\/|mailto:)/i;

/** Whether `href` may be a link in a document. */
export function isSafeLink(href: string): boolean {
  return SAFE_LINK.test(href.trim());
}

/** Where an attachment is served; the only `src` an image node accepts. */
export const ATTACHMENT_PATH = '/api/attachments/';

const ATTACHMENT_SRC = /^\/api\/attachments\/[0-9a-f-]{36}$/;

/** Whether `src` names one of this server's attachments (images elsewhere are not loaded: CSP and privacy). */
export function isAttachmentSrc(src: unknown): src is string {
  return typeof src === 'string' && ATTACHMENT_SRC.test(src);
}

/** The attachment id an image `src` names, or null. */
export function attachmentIdOf(src: unknown): string | null {
  return isAttachmentSrc(src) ? src.slice(ATTACHMENT_PATH.length) : null;
}

export interface SchemaOptions {
  /** StarterKit settings the editor changes (its own undo off under Collaboration, links not opened on click). */
  starterKit?: Partial<StarterKitOptions>;
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

/** Every extension of the document schema. */
export function documentExtensions(options: SchemaOptions = {}): Extensions {
  return [
    StarterKit.configure({
      ...options.starterKit,
      codeBlock: false,
      link: {
        ...(typeof options.starterKit?.link === 'object' ? options.starterKit.link : {}),
        protocols: [...LINK_PROTOCOLS],
        defaultProtocol: 'https',
        isAllowedUri: (url) => isSafeLink(url),
      },
    }),
    codeBlock,
    TableKit.configure({ table: { resizable: false } }),
    TaskList,
    TaskItem.configure({ nested: true }),
    imageNode(options.imageUrl),
  ];
}
