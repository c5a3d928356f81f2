/**
 * A portable export of every document a token can read, as Markdown and as ProseMirror JSON in
 * one `.tar.gz`, and its import into any Quire (new ids, the importer as owner). Both go through
 * the public REST API, so they work against a running server of any storage, across versions.
 *
 *   quire-export/manifest.json           {format, version, exportedAt, documents: [...]}
 *   quire-export/documents/<id>.md       the document as Markdown
 *   quire-export/documents/<id>.json     the document as ProseMirror JSON (what import reads)
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import type { DocumentDetail, DocumentSummary, Page } from '../../shared/dto.ts';

const ROOT = 'quire-export';
const FORMAT = 'quire-export';
const VERSION = 1;
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
}

/** The archive's table of contents. */
export interface ExportManifest {
  format: typeof FORMAT;
  version: typeof VERSION;
  exportedAt: string;
  documents: ExportedDocument[];
}

/** Calls Quire's REST API with a Bearer token, retrying what a rate limit refused. */
async function call(baseUrl: string, token: string, path: string, init: { method?: string; json?: unknown } = {}): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(new URL(path, baseUrl), {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${token}`, ...(init.json === undefined ? {} : { 'content-type': 'application/json' }) },
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
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

function withTempDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'quire-export-'));
  return body(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

/** Writes every document `token` can read on `baseUrl` into the archive `out`; returns the manifest. */
export function exportDocuments(baseUrl: string, token: string, out: string): Promise<ExportManifest> {
  return withTempDir(async (dir) => {
    mkdirSync(join(dir, ROOT, 'documents'), { recursive: true });
    const manifest: ExportManifest = { format: FORMAT, version: VERSION, exportedAt: new Date().toISOString(), documents: [] };
    for (const document of await everyDocument(baseUrl, token)) {
      const entry: ExportedDocument = {
        id: document.id,
        title: document.title,
        createdAt: document.createdAt,
        updatedAt: document.updatedAt,
        markdown: `documents/${document.id}.md`,
        json: `documents/${document.id}.json`,
      };
      for (const [format, file] of [['markdown', entry.markdown], ['json', entry.json]] as const) {
        const content = await (await call(baseUrl, token, `/api/documents/${document.id}/content?format=${format}`)).text();
        writeFileSync(join(dir, ROOT, file), content);
      }
      manifest.documents.push(entry);
    }
    writeFileSync(join(dir, ROOT, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await tar.create({ gzip: true, file: out, cwd: dir, portable: true }, [ROOT]);
    return manifest;
  });
}

/** Reads an export archive's manifest and each document's JSON content. */
export function readExport(file: string): Promise<{ manifest: ExportManifest; contents: Map<string, unknown> }> {
  return withTempDir(async (dir) => {
    await tar.extract({ file, cwd: dir, strict: true });
    const manifest = JSON.parse(readFileSync(join(dir, ROOT, 'manifest.json'), 'utf8')) as ExportManifest;
    if (manifest.format !== FORMAT || manifest.version !== VERSION) throw new Error(`${file} is not a Quire export (version ${VERSION})`);
    const contents = new Map<string, unknown>();
    for (const entry of manifest.documents) {
      if (!/^documents\/[\w-]+\.json$/.test(entry.json)) throw new Error(`${file}: unexpected entry ${entry.json}`);
      contents.set(entry.id, JSON.parse(readFileSync(join(dir, ROOT, entry.json), 'utf8')));
    }
    return { manifest, contents };
  });
}

/** Creates one new document per exported one on `baseUrl`; returns exported id → new document. */
export async function importDocuments(baseUrl: string, token: string, file: string): Promise<Map<string, DocumentDetail>> {
  const { manifest, contents } = await readExport(file);
  const created = new Map<string, DocumentDetail>();
  for (const entry of manifest.documents) {
    const response = await call(baseUrl, token, '/api/documents', { method: 'POST', json: { title: entry.title, content: contents.get(entry.id) } });
    created.set(entry.id, (await response.json()) as DocumentDetail);
  }
  return created;
}
