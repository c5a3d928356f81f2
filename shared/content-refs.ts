/**
 * What a document may link to and which images it may show: the rules the editor's schema
 * (`editor-schema.ts`) applies, kept apart from Tiptap so the server can check links and
 * attachment references without loading the editor's extensions.
 */
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
