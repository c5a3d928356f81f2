/**
 * Import and export over HTTP: a real .docx (made here with the `docx` package, as Word writes
 * them) and a Markdown file become the expected ProseMirror JSON with their images as
 * attachments; Markdown survives a round trip; exports carry images and never an unsafe link.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { JSONContent } from '@tiptap/core';
import { Document, HeadingLevel, ImageRun, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import type { DocumentDetail } from '../../../shared/dto.ts';
import type { Attachment } from '../../../shared/rich-content.ts';
import { startTestServer, type TestServer } from '../../test-support/harness.ts';
import { fileForm, pngImage } from '../../test-support/images.ts';

const text = (value: string, marks?: JSONContent['marks']): JSONContent => ({ type: 'text', text: value, ...(marks ? { marks } : {}) });
const para = (...content: JSONContent[]): JSONContent => ({ type: 'paragraph', content });

/** Block types and texts, with image sources reduced to "attachment", for comparing structures. */
function outline(node: JSONContent): unknown {
  if (node.type === 'text') return node.text;
  if (node.type === 'image') return { image: /^\/api\/attachments\/[0-9a-f-]{36}$/.test(String(node.attrs?.src)) ? 'attachment' : node.attrs?.src };
  const children = (node.content ?? []).map(outline);
  return { [node.type!]: children.length === 1 && typeof children[0] === 'string' ? children[0] : children };
}

async function wordFile(png: Uint8Array): Promise<Uint8Array> {
  const cell = (value: string) => new TableCell({ children: [new Paragraph(value)] });
  const document = new Document({
    sections: [
      {
        children: [
          new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun('Quarterly report')] }),
          new Paragraph({ children: [new TextRun('Sales '), new TextRun({ text: 'grew', bold: true }), new TextRun(' again.')] }),
          new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun('Highlights')] }),
          new Paragraph({ text: 'North', bullet: { level: 0 } }),
          new Paragraph({ text: 'South', bullet: { level: 0 } }),
          new Table({ rows: [new TableRow({ tableHeader: true, children: [cell('Region'), cell('Total')] }), new TableRow({ children: [cell('North'), cell('12')] })] }),
          new Paragraph({ children: [new ImageRun({ type: 'png', data: png, transformation: { width: 40, height: 30 } })] }),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}

describe('import and export', () => {
  let server: TestServer;
  let token = '';

  beforeAll(async () => {
    server = await startTestServer({ env: { MAX_IMPORT_BYTES: String(2 * 1024 * 1024) } });
    token = (await server.signIn('Ada')).token;
  });
  afterAll(() => server.close());

  async function importFile(bytes: Uint8Array, name: string): Promise<Response> {
    return server.request('/api/documents/import', { method: 'POST', token, body: fileForm(bytes, name) });
  }
  async function imported(bytes: Uint8Array, name: string): Promise<{ document: DocumentDetail; json: JSONContent }> {
    const response = await importFile(bytes, name);
    expect(response.status).toBe(201);
    const document = (await response.json()) as DocumentDetail;
    const json = (await (await server.request(`/api/documents/${document.id}/content?format=json`, { token })).json()) as JSONContent;
    return { document, json };
  }
  const exported = (id: string, format: string) => server.request(`/api/documents/${id}/export?format=${format}`, { token });

  test('a .docx becomes headings, marks, a list, a table with its header row and an image served back byte for byte', async () => {
    const png = pngImage(8, 6);
    const { document, json } = await imported(await wordFile(png), 'Quarterly report.docx');
    expect(document).toMatchObject({ title: 'Quarterly report', role: 'owner' });
    expect(outline(json)).toEqual({
      doc: [
        { heading: 'Quarterly report' },
        { paragraph: ['Sales ', 'grew', ' again.'] },
        { heading: 'Highlights' },
        { bulletList: [{ listItem: [{ paragraph: 'North' }] }, { listItem: [{ paragraph: 'South' }] }] },
        {
          table: [
            { tableRow: [{ tableHeader: [{ paragraph: 'Region' }] }, { tableHeader: [{ paragraph: 'Total' }] }] },
            { tableRow: [{ tableCell: [{ paragraph: 'North' }] }, { tableCell: [{ paragraph: '12' }] }] },
          ],
        },
        { image: 'attachment' },
      ],
    });
    expect(json.content![1]!.content![1]!.marks).toEqual([{ type: 'bold' }]);
    const image = json.content!.find((node) => node.type === 'image')!;
    const served = await server.request(String(image.attrs!.src), { token });
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer()).equals(Buffer.from(png))).toBe(true);
  });

  test('Markdown becomes the expected ProseMirror JSON', async () => {
    const markdown = '# Plan\n\nShip **fast**, see [docs](https://example.com/docs).\n\n- [x] design\n- [ ] build\n\n| A | B |\n| --- | --- |\n| 1 | 2 |\n\n```ts\nlet x = 1;\n```\n';
    const { document, json } = await imported(new TextEncoder().encode(markdown), 'plan.md');
    expect(document.title).toBe('plan');
    const cell = (type: string, value: string) => ({ type, attrs: { colspan: 1, rowspan: 1, colwidth: null, align: null }, content: [para(text(value))] });
    expect(json).toEqual({
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 1 }, content: [text('Plan')] },
        para(text('Ship '), text('fast', [{ type: 'bold' }]), text(', see '), text('docs', [{ type: 'link', attrs: { href: 'https://example.com/docs', target: '_blank', rel: 'noopener noreferrer nofollow', class: null, title: null } }]), text('.')),
        {
          type: 'taskList',
          content: [
            { type: 'taskItem', attrs: { checked: true }, content: [para(text('design'))] },
            { type: 'taskItem', attrs: { checked: false }, content: [para(text('build'))] },
          ],
        },
        { type: 'table', content: [{ type: 'tableRow', content: [cell('tableHeader', 'A'), cell('tableHeader', 'B')] }, { type: 'tableRow', content: [cell('tableCell', '1'), cell('tableCell', '2')] }] },
        { type: 'codeBlock', attrs: { language: 'ts' }, content: [text('let x = 1;')] },
      ],
    });
  });

  test('Markdown → document → Markdown is the same after normalisation', async () => {
    const markdown = '# Title\n\nSome *italic*, **bold**, `code` and ~~gone~~ text with [a link](https://quire.dev).\n\n## Lists\n\n- one\n- two\n  - nested\n\n1. first\n2. second\n\n- [ ] open\n- [x] done\n\n> quoted\n\n| Name | Count |\n| --- | --- |\n| apples | 3 |\n\n```\nplain code\n```\n\n---\n\nThe end.\n';
    const { document } = await imported(new TextEncoder().encode(markdown), 'round.md');
    const back = await (await exported(document.id, 'md')).text();
    const normalise = (md: string) => md.split('\n').map((line) => line.replace(/\s+$/, '').replace(/\|\s+/g, '| ').replace(/\s+\|/g, ' |').replace(/^(\s*)\* /, '$1- ').replace(/^\|(?: -+ \|)+$/, (row) => row.replace(/-+/g, '---'))).join('\n').replace(/\n{2,}/g, '\n\n').trim();
    expect(normalise(back)).toBe(normalise(markdown));
  });

  test('Markdown export escapes break-outs and never emits javascript: or data: links', async () => {
    const content = {
      type: 'doc',
      content: [
        { type: 'codeBlock', content: [text('before\n```\n<script>alert(1)</script>')] },
        para(text('<img src=x onerror=alert(1)> and *stars*')),
        para(text('bad', [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }]), text(' '), text('data', [{ type: 'link', attrs: { href: 'data:text/html,<b>x</b>' } }])),
      ],
    };
    const { id } = await server.createDocument(token, { title: 'Hostile', content });
    const markdown = await (await exported(id, 'md')).text();
    expect(markdown).toStartWith('````\nbefore\n```\n<script>alert(1)</script>\n````');
    expect(markdown).toContain('&lt;img src=x onerror=alert(1)&gt; and \\*stars\\*');
    expect(markdown).not.toMatch(/javascript:|data:/);
    expect(markdown).toContain('bad data');
  });

  test('HTML and .docx exports carry the image; .docx imports back with headings, lists, table and image intact', async () => {
    const png = pngImage(5, 5, [10, 120, 200]);
    const { document } = await imported(await wordFile(png), 'Report.docx');
    const html = await (await exported(document.id, 'html')).text();
    expect(html).toContain(`src="data:image/png;base64,${Buffer.from(png).toString('base64')}"`);
    const docx = await exported(document.id, 'docx');
    expect(docx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(docx.headers.get('content-disposition')).toBe(`attachment; filename="Report.docx"; filename*=UTF-8''Report.docx`);
    const first = await (await server.request(`/api/documents/${document.id}/content?format=json`, { token })).json();
    const again = await imported(new Uint8Array(await docx.arrayBuffer()), 'Report again.docx');
    expect(outline(again.json)).toEqual(outline(first));
    const txt = await (await exported(document.id, 'txt')).text();
    expect(txt).toContain('Quarterly report\nSales grew again.');
  });

  test('a task list survives .docx export and import: Word checklists become task items, checked or not', async () => {
    const task = (checked: boolean, ...content: JSONContent[]): JSONContent => ({ type: 'taskItem', attrs: { checked }, content: [para(...content)] });
    const { id } = await server.createDocument(token, {
      title: 'Chores',
      content: {
        type: 'doc',
        content: [para(text('Before')), { type: 'taskList', content: [task(true, text('Buy milk')), task(false, text('Call '), text('Bob', [{ type: 'bold' }]))] }, para(text('After ☐ not a task'))],
      },
    });
    const docx = await exported(id, 'docx');
    const { json } = await imported(new Uint8Array(await docx.arrayBuffer()), 'Chores.docx');
    expect(outline(json)).toEqual({
      doc: [
        { paragraph: 'Before' },
        { taskList: [{ taskItem: [{ paragraph: 'Buy milk' }] }, { taskItem: [{ paragraph: ['Call ', 'Bob'] }] }] },
        { paragraph: 'After ☐ not a task' },
      ],
    });
    const items = json.content![1]!.content!;
    expect(items.map((item) => item.attrs?.checked)).toEqual([true, false]);
    expect(items[1]!.content![0]!.content![1]!.marks).toEqual([{ type: 'bold' }]);
  });

  test('a Quire JSON file keeps its content exactly, its title, and its data: images as attachments of the new document', async () => {
    const png = pngImage(3, 2, [0, 200, 90]);
    const content: JSONContent = {
      type: 'doc',
      content: [
        { type: 'taskList', content: [{ type: 'taskItem', attrs: { checked: true }, content: [para(text('done'))] }] },
        { type: 'image', attrs: { src: `data:image/gif;base64,${Buffer.from(png).toString('base64')}`, alt: 'chart', title: null, width: null, height: null } },
        { type: 'image', attrs: { src: `data:image/svg+xml;base64,${Buffer.from('<svg onload="alert(1)"/>').toString('base64')}` } },
      ],
    };
    const file = new TextEncoder().encode(JSON.stringify({ title: 'Moved: "plans" / 2026', content }));
    const { document, json } = await imported(file, 'ignored-name.json');
    expect(document.title).toBe('Moved: "plans" / 2026');
    expect(json.content![0]).toEqual(content.content![0]!);
    const image = json.content![1]!;
    expect(image.attrs!.alt).toBe('chart');
    expect(image.attrs!.src).toMatch(/^\/api\/attachments\/[0-9a-f-]{36}$/);
    const served = await server.request(String(image.attrs!.src), { token });
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer())).toEqual(Buffer.from(png));
    expect(json.content![2]).toEqual(para(text('[image left out: only PNG, JPEG, GIF and WebP up to the attachment limit are kept]')));

    const bare = await imported(new TextEncoder().encode(JSON.stringify({ type: 'doc', content: [para(text('bare'))] })), 'Bare notes.json');
    expect(bare.document.title).toBe('Bare notes');
    for (const [bytes, detail] of [
      ['{"type": "doc", ', 'not valid JSON'],
      ['{"title": 3, "content": {"type": "doc"}}', '"title" must be a string'],
      ['[1, 2]', 'expected {"type": "doc"'],
    ] as const) {
      const refused = await importFile(new TextEncoder().encode(bytes), 'bad.json');
      expect(refused.status).toBe(422);
      expect(((await refused.json()) as { detail: string }).detail).toContain(detail);
    }
    const invalid = await importFile(new TextEncoder().encode(JSON.stringify({ type: 'doc', content: [{ type: 'script', text: 'x' }] })), 'evil.json');
    expect(invalid.status).toBe(422);
  });

  test('files too large get 413, other kinds 415, and upload routes keep their own limits', async () => {
    expect((await importFile(new Uint8Array(3 * 1024 * 1024), 'huge.md')).status).toBe(413);
    expect((await importFile(new TextEncoder().encode('MZ'), 'tool.exe')).status).toBe(415);
    expect((await importFile(new TextEncoder().encode('not a zip'), 'fake.docx')).status).toBe(415);
    const { id } = await server.createDocument(token);
    const upload = await server.request(`/api/documents/${id}/attachments`, { method: 'POST', token, body: fileForm(pngImage(), 'x.png') });
    expect(((await upload.json()) as Attachment).contentType).toBe('image/png');
  });
});
