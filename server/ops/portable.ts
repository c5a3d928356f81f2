/**
 * A portable export of every document a token can read, as Markdown and as ProseMirror JSON in
 * one `.tar.gz` with the images they hold, and its import into any Quire (new ids, the importer
 * as owner). Both go through the public REST API, so they work against a running server of any
 * storage, across versions.
 *
 *   quire-export/manifest.json             {format, version, exportedAt, documents: [...]}
 *   quire-export/documents/<id>.md         the document as Markdown, its images as ../attachments/ files
 *   quire-export/documents/<id>.json       the document as ProseMirror JSON (what import reads)
 *   quire-export/attachments/<id>.<ext>    every image the documents show
 *
 * Import sends each document to `POST /api/documents/import` as Quire JSON with its images as
 * `data:` URIs, so the new server stores them as attachments of the new document in one request
 * (an attachment belongs to a document, whose id only exists once it is created).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JSONContent } from '@tiptap/core';
import * as tar from 'tar';
import type { DocumentDetail, DocumentSummary, Page } from '../../shared/dto.ts';
import { imageNodes } from '../../shared/content-images.ts';
import { ATTACHMENT_PATH, attachmentIdOf } from '../../shared/content-refs.ts';
import { IMAGE_EXTENSIONS, type ImageType } from '../modules/attachments/sniff.ts';

const ROOT = 'quire-export';
const FORMAT = 'quire-export';
/** 2 added attachments; version 1 archives (without them) still import. */
const VERSION = 2;
const READABLE_VERSIONS: readonly number[] = [1, 2];
/** Renders are rate-limited per account: a refused one is retried after Retry-After, this often at most. */
const MAX_RETRIES = 20;

/** One document in the manifest. */
export interface ExportedDocument {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
  markdown: string;
  json: string;
  /** The images the document shows, as archive paths (`attachments/<id>.<ext>`); absent in version 1. */
  attachments?: string[];
}

/** The archive's table of contents. */
export interface ExportManifest {
  format: typeof FORMAT;
  version: typeof VERSION;
  exportedAt: string;
  documents: ExportedDocument[];
}

/** Calls Quire's REST API with a Bearer token, retrying what a rate limit refused. */
async function call(baseUrl: string, token: string, path: string, init: { method?: string; form?: () => FormData } = {}): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(new URL(path, baseUrl), {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${token}` },
      body: init.form?.(),
    });
    if (response.status === 429 && attempt < MAX_RETRIES) {
      await response.body?.cancel();
      await Bun.sleep(Number(response.headers.get('retry-after') ?? '1') * 1000);
      continue;
    }
    if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
    return response;
  }
}

async function everyDocument(baseUrl: string, token: string): Promise<DocumentSummary[]> {
  const documents: DocumentSummary[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ limit: '100', ...(cursor ? { cursor } : {}) });
    const page = (await (await call(baseUrl, token, `/api/documents?${query}`)).json()) as Page<DocumentSummary>;
    documents.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return documents;
}

/** The attachment ids a document's images name, each once, in document order. */
function attachmentIds(content: JSONContent): string[] {
  return [...new Set(imageNodes(content).flatMap((node) => attachmentIdOf(node.attrs?.src) ?? []))];
}

function withTempDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'quire-export-'));
  return body(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

/** Writes every document `token` can read on `baseUrl` into the archive `out`; returns the manifest. */
export function exportDocuments(baseUrl: string, token: string, out: string): Promise<ExportManifest> {
  return withTempDir(async (dir) => {
    mkdirSync(join(dir, ROOT, 'documents'), { recursive: true });
    mkdirSync(join(dir, ROOT, 'attachments'), { recursive: true });
    const manifest: ExportManifest = { format: FORMAT, version: VERSION, exportedAt: new Date().toISOString(), documents: [] };
    for (const document of await everyDocument(baseUrl, token)) {
      const entry: ExportedDocument = {
        id: document.id,
        title: document.title,
        createdAt: document.createdAt,
        updatedAt: document.updatedAt,
        markdown: `documents/${document.id}.md`,
        json: `documents/${document.id}.json`,
        attachments: [],
      };
      const contentOf = async (format: 'markdown' | 'json') => (await call(baseUrl, token, `/api/documents/${document.id}/content?format=${format}`)).text();
      const json = await contentOf('json');
      let markdown = await contentOf('markdown');
      for (const id of attachmentIds(JSON.parse(json) as JSONContent)) {
        const image = await call(baseUrl, token, `${ATTACHMENT_PATH}${id}`);
        const file = `attachments/${id}.${IMAGE_EXTENSIONS[image.headers.get('content-type') as ImageType] ?? 'bin'}`;
        writeFileSync(join(dir, ROOT, file), new Uint8Array(await image.arrayBuffer()));
        entry.attachments!.push(file);
        // The Markdown is for people reading the archive: its images are the files beside it.
        markdown = markdown.replaceAll(`(${ATTACHMENT_PATH}${id})`, `(../${file})`);
      }
      writeFileSync(join(dir, ROOT, entry.json), json);
      writeFileSync(join(dir, ROOT, entry.markdown), markdown);
      manifest.documents.push(entry);
    }
    writeFileSync(join(dir, ROOT, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await tar.create({ gzip: true, file: out, cwd: dir, portable: true }, [ROOT]);
    return manifest;
  });
}

/** What an export archive holds: its manifest, each document's JSON content, and the images by attachment id. */
export interface ExportArchive {
  manifest: ExportManifest;
  contents: Map<string, JSONContent>;
  attachments: Map<string, Uint8Array>;
}

const ARCHIVE_PATH = { json: /^documents\/[\w-]+\.json$/, attachment: /^attachments\/([0-9a-f-]{36})\.[a-z]+$/ };

/** Reads an export archive; entries outside the layout above are refused, never read. */
export function readExport(file: string): Promise<ExportArchive> {
  return withTempDir(async (dir) => {
    await tar.extract({ file, cwd: dir, strict: true });
    const manifest = JSON.parse(readFileSync(join(dir, ROOT, 'manifest.json'), 'utf8')) as ExportManifest;
    if (manifest.format !== FORMAT || !READABLE_VERSIONS.includes(manifest.version)) throw new Error(`${file} is not a Quire export (versions ${READABLE_VERSIONS.join(', ')})`);
    const contents = new Map<string, JSONContent>();
    const attachments = new Map<string, Uint8Array>();
    for (const entry of manifest.documents) {
      if (!ARCHIVE_PATH.json.test(entry.json)) throw new Error(`${file}: unexpected entry ${entry.json}`);
      contents.set(entry.id, JSON.parse(readFileSync(join(dir, ROOT, entry.json), 'utf8')) as JSONContent);
      for (const path of entry.attachments ?? []) {
        const id = ARCHIVE_PATH.attachment.exec(path)?.[1];
        if (!id) throw new Error(`${file}: unexpected entry ${path}`);
        attachments.set(id, new Uint8Array(readFileSync(join(dir, ROOT, path))));
      }
    }
    return { manifest, contents, attachments };
  });
}

/** The content with every image the archive holds as a `data:` URI, for the new server to store. */
function withInlineImages(content: JSONContent, attachments: ReadonlyMap<string, Uint8Array>): JSONContent {
  const root = structuredClone(content);
  for (const node of imageNodes(root)) {
    const bytes = attachments.get(attachmentIdOf(node.attrs?.src) ?? '');
    if (bytes) node.attrs = { ...node.attrs, src: `data:application/octet-stream;base64,${Buffer.from(bytes).toString('base64')}` };
  }
  return root;
}

/** Creates one new document per exported one on `baseUrl`; returns exported id → new document. */
export async function importDocuments(baseUrl: string, token: string, file: string): Promise<Map<string, DocumentDetail>> {
  const { manifest, contents, attachments } = await readExport(file);
  const created = new Map<string, DocumentDetail>();
  for (const entry of manifest.documents) {
    const document = JSON.stringify({ title: entry.title, content: withInlineImages(contents.get(entry.id)!, attachments) });
    const form = () => {
      const body = new FormData();
      body.append('file', new Blob([document], { type: 'application/json' }), 'document.json');
      return body;
    };
    const response = await call(baseUrl, token, '/api/documents/import', { method: 'POST', form });
    created.set(entry.id, (await response.json()) as DocumentDetail);
  }
  return created;
}
