/**
 * Faithful paste: what Google Docs, Word and web pages put on the clipboard is cleaned of what
 * would distort it (Docs wraps everything in a bold that is not bold), images inside the
 * clipboard are uploaded, images from other sites are fetched and uploaded when the site allows
 * it, or else kept as links with a notice, and Markdown pasted as plain text becomes rich text.
 */
import { Extension, type Editor } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { uploadImage } from './uploads.ts';

export interface PastedContentOptions {
  documentId: string;
  /** Tells the person what happened to something they pasted or dropped. */
  notify: (message: string) => void;
}

const MARKDOWN_HINT = /^(#{1,6} |\s*[-*+] \[[ xX]\] |\s*[-*+] |\s*\d+\. |> |```|\|.+\|\s*$)/m;

/** Removes Google Docs' wrapper (`<b style="font-weight:normal" id="docs-internal-guid-...">`) and Word's comments. */
export function cleanPastedHtml(html: string): string {
  return html
    .replace(/<b\b[^>]*id="docs-internal-guid[^"]*"[^>]*>([\s\S]*)<\/b>/i, '$1')
    .replace(/<!--\[if[\s\S]*?<!\[endif\]-->/gi, '')
    .replace(/<o:p>[\s\S]*?<\/o:p>/gi, '');
}

/** Fetches an image from another site (when it allows it) and uploads it; null when it cannot be had. */
async function adopt(documentId: string, src: string): Promise<string | null> {
  try {
    const blob = src.startsWith('data:') || src.startsWith('blob:') ? await (await fetch(src)).blob() : await (await fetch(src, { mode: 'cors', credentials: 'omit' })).blob();
    return (await uploadImage(documentId, blob, 'pasted-image')).url;
  } catch {
    return null;
  }
}

/** Uploads every image of pasted HTML it can; the rest become links. Returns the HTML and how many became links. */
async function adoptImages(html: string, documentId: string): Promise<{ html: string; linked: number }> {
  const template = document.createElement('template');
  template.innerHTML = html;
  let linked = 0;
  for (const img of [...template.content.querySelectorAll('img')]) {
    const src = img.getAttribute('src') ?? '';
    if (src.startsWith('/api/attachments/')) continue;
    const url = src ? await adopt(documentId, src) : null;
    if (url) {
      img.setAttribute('src', url);
      continue;
    }
    linked++;
    const link = document.createElement('a');
    link.href = src;
    link.textContent = `Image: ${img.getAttribute('alt') || src}`;
    img.replaceWith(link);
  }
  return { html: template.innerHTML, linked };
}

async function insertFiles(editor: Editor, files: File[], options: PastedContentOptions, at?: number): Promise<void> {
  for (const file of files) {
    try {
      const { url } = await uploadImage(options.documentId, file, file.name);
      const content = { type: 'image', attrs: { src: url, alt: file.name } };
      if (at === undefined) editor.chain().focus().insertContent(content).run();
      else editor.chain().focus().insertContentAt(at, content).run();
    } catch (error) {
      options.notify(`${file.name || 'The image'} was not added: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** Paste and drop handling for the editor. */
export const PastedContent = Extension.create<PastedContentOptions>({
  name: 'pastedContent',
  addOptions: () => ({ documentId: '', notify: () => {} }),
  addProseMirrorPlugins() {
    const editor = this.editor;
    const options = this.options;
    return [
      new Plugin({
        key: new PluginKey('pastedContent'),
        props: {
          transformPastedHTML: cleanPastedHtml,
          handlePaste(_view, event) {
            const data = event.clipboardData;
            if (!data) return false;
            const files = [...data.files].filter((file) => file.type.startsWith('image/'));
            const html = data.getData('text/html');
            if (files.length > 0 && !html) {
              void insertFiles(editor, files, options);
              return true;
            }
            if (html && /<img\b/i.test(html)) {
              void adoptImages(cleanPastedHtml(html), options.documentId).then(({ html: adopted, linked }) => {
                editor.chain().focus().insertContent(adopted).run();
                if (linked > 0) options.notify(`${linked} image${linked === 1 ? '' : 's'} from another site could not be copied and ${linked === 1 ? 'was' : 'were'} kept as a link.`);
              });
              return true;
            }
            const text = data.getData('text/plain');
            if (!html && text && MARKDOWN_HINT.test(text)) {
              void import('./markdownPaste.ts').then(({ parseMarkdown }) => {
                if (!editor.isDestroyed) editor.chain().focus().insertContent(parseMarkdown(editor, text)).run();
              });
              return true;
            }
            return false;
          },
          handleDrop(view, event) {
            const files = [...(event.dataTransfer?.files ?? [])].filter((file) => file.type.startsWith('image/'));
            if (files.length === 0) return false;
            const at = view.posAtCoords({ left: event.clientX, top: event.clientY })?.pos;
            void insertFiles(editor, files, options, at);
            return true;
          },
        },
      }),
    ];
  },
});

/** Lets the toolbar's image button insert chosen files like a paste would. */
export function insertImageFiles(editor: Editor, files: File[], options: PastedContentOptions): Promise<void> {
  return insertFiles(editor, files, options);
}
