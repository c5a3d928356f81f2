/**
 * Writes a document as .docx with the `docx` package: headings, paragraphs with their marks and
 * links, bullet, numbered and task lists, quotes, code, rules, tables (header rows kept) and
 * images (PNG, JPEG and GIF inline; WebP, which Word files cannot hold, as a link).
 */
import type { JSONContent } from '@tiptap/core';
import {
  AlignmentType,
  Document,
  ExternalHyperlink,
  HeadingLevel,
  ImageRun,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type ParagraphChild,
} from 'docx';
import { imageSize } from 'image-size';
import type { StoredAttachment } from '../attachments/service.ts';

/** Finds the attachment an image `src` names (null: not this document's). */
export type ImageLoader = (src: unknown) => Promise<StoredAttachment | null>;

type Block = Paragraph | Table;

const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4, HeadingLevel.HEADING_5, HeadingLevel.HEADING_6];
const DOCX_IMAGE_TYPES: Readonly<Record<string, 'png' | 'jpg' | 'gif'>> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif' };
/** Widest an image is drawn, pixels (about the width of an A4 text column). */
const MAX_IMAGE_WIDTH = 600;
const ORDERED = 'ordered';

interface Context {
  load: ImageLoader;
  baseUrl: string;
  /** Where a list item's paragraphs go: its list kind and depth. */
  list: { kind: 'bullet' | 'ordered' | 'task'; level: number; checked?: boolean } | null;
  quote: boolean;
}

function runs(nodes: readonly JSONContent[], context: Context): ParagraphChild[] {
  return nodes.flatMap((node): ParagraphChild[] => {
    if (node.type === 'hardBreak') return [new TextRun({ text: '', break: 1 })];
    if (node.type !== 'text' || !node.text) return [];
    const has = (type: string) => node.marks?.some((mark) => mark.type === type) ?? false;
    const link = node.marks?.find((mark) => mark.type === 'link')?.attrs?.href;
    const run = new TextRun({
      text: node.text,
      bold: has('bold'),
      italics: has('italic') || context.quote,
      strike: has('strike'),
      ...(has('underline') ? { underline: {} } : {}),
      ...(has('code') ? { font: 'Courier New' } : {}),
      ...(typeof link === 'string' ? { style: 'Hyperlink' } : {}),
    });
    return typeof link === 'string' ? [new ExternalHyperlink({ link, children: [run] })] : [run];
  });
}

function paragraphOptions(context: Context) {
  const list = context.list;
  if (list?.kind === 'bullet') return { bullet: { level: list.level } };
  if (list?.kind === 'ordered') return { numbering: { reference: ORDERED, level: list.level } };
  if (list?.kind === 'task') return { indent: { left: 360 * (list.level + 1) } };
  return context.quote ? { indent: { left: 720 } } : {};
}

async function image(node: JSONContent, context: Context): Promise<Paragraph> {
  const found = await context.load(node.attrs?.src);
  const type = found ? DOCX_IMAGE_TYPES[found.record.contentType] : undefined;
  if (!found || !type) {
    const href = `${context.baseUrl}${String(node.attrs?.src ?? '')}`;
    return new Paragraph({ children: [new ExternalHyperlink({ link: href, children: [new TextRun({ text: `Image: ${node.attrs?.alt || href}`, style: 'Hyperlink' })] })] });
  }
  const size = imageSize(found.data);
  const scale = Math.min(1, MAX_IMAGE_WIDTH / (size.width || MAX_IMAGE_WIDTH));
  const transformation = { width: Math.round((size.width || MAX_IMAGE_WIDTH) * scale), height: Math.round((size.height || MAX_IMAGE_WIDTH) * scale) };
  const altText = { name: String(node.attrs?.alt ?? 'image'), description: String(node.attrs?.alt ?? ''), title: String(node.attrs?.title ?? '') };
  return new Paragraph({ children: [new ImageRun({ type, data: found.data, transformation, altText })] });
}

async function table(node: JSONContent, context: Context): Promise<Table> {
  const rows = await Promise.all(
    (node.content ?? []).map(async (row) => {
      const cells = row.content ?? [];
      const header = cells.length > 0 && cells.every((cell) => cell.type === 'tableHeader');
      const children = await Promise.all(
        cells.map(async (cell) => {
          const content = await blocks(cell.content ?? [], { ...context, list: null });
          return new TableCell({
            children: content.length > 0 ? content : [new Paragraph('')],
            columnSpan: Number(cell.attrs?.colspan ?? 1),
            rowSpan: Number(cell.attrs?.rowspan ?? 1),
          });
        }),
      );
      // docx writes the header mark for any tableHeader option given, false included.
      return new TableRow({ children, ...(header ? { tableHeader: true } : {}) });
    }),
  );
  return new Table({ rows, width: { size: 100, type: WidthType.PERCENTAGE } });
}

async function listItems(node: JSONContent, context: Context, kind: 'bullet' | 'ordered' | 'task'): Promise<Block[]> {
  const level = context.list ? Math.min(context.list.level + 1, 8) : 0;
  const items = await Promise.all(
    (node.content ?? []).map((item) => blocks(item.content ?? [], { ...context, list: { kind, level, checked: item.attrs?.checked === true } })),
  );
  return items.flat();
}

async function block(node: JSONContent, context: Context): Promise<Block[]> {
  switch (node.type) {
    case 'paragraph': {
      const task = context.list?.kind === 'task' ? [new TextRun(context.list.checked ? '☑ ' : '☐ ')] : [];
      return [new Paragraph({ ...paragraphOptions(context), children: [...task, ...runs(node.content ?? [], context)] })];
    }
    case 'heading':
      return [new Paragraph({ heading: HEADINGS[Math.min(6, Math.max(1, Number(node.attrs?.level ?? 1))) - 1], children: runs(node.content ?? [], context) })];
    case 'bulletList':
      return listItems(node, context, 'bullet');
    case 'orderedList':
      return listItems(node, context, 'ordered');
    case 'taskList':
      return listItems(node, context, 'task');
    case 'blockquote':
      return blocks(node.content ?? [], { ...context, quote: true });
    case 'codeBlock': {
      const lines = (node.content ?? []).map((text) => text.text ?? '').join('').split('\n');
      return lines.map((line) => new Paragraph({ children: [new TextRun({ text: line, font: 'Courier New' })] }));
    }
    case 'horizontalRule':
      return [new Paragraph({ thematicBreak: true, children: [] })];
    case 'table':
      return [await table(node, context)];
    case 'image':
      return [await image(node, context)];
    default:
      return [];
  }
}

async function blocks(nodes: readonly JSONContent[], context: Context): Promise<Block[]> {
  const built: Block[] = [];
  for (const node of nodes) built.push(...(await block(node, context)));
  return built;
}

/** The document as a .docx file. `baseUrl` makes links of images Word cannot hold. */
export async function documentToDocx(title: string, json: JSONContent, load: ImageLoader, baseUrl: string): Promise<Uint8Array> {
  const children = await blocks(json.content ?? [], { load, baseUrl, list: null, quote: false });
  const levels = Array.from({ length: 9 }, (_, level) => ({
    level,
    format: LevelFormat.DECIMAL,
    text: `%${level + 1}.`,
    alignment: AlignmentType.START,
    style: { paragraph: { indent: { left: 720 * (level + 1), hanging: 360 } } },
  }));
  const document = new Document({
    title,
    numbering: { config: [{ reference: ORDERED, levels }] },
    sections: [{ children }],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}
