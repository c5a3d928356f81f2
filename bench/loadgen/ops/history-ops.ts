/**
 * Worker operation that builds a document's history through the real paths: an editor replica
 * changes paragraphs over the sync socket, an observer confirms the server committed each change
 * (Quire broadcasts only what it stored), and the change is named as a version over REST.
 */
import * as Y from 'yjs';
import { DOCUMENT_FRAGMENT } from '../../../shared/protocol.ts';
import { sleep, withDeadline } from '../../lib/deadline.ts';
import { adapterFor } from '../../protocol/adapters.ts';
import { nameVersion } from '../../servers/quire-api.ts';
import { SyncClient } from '../sync-client.ts';
import type { WorkerRequests, WorkerResponses } from '../worker-protocol.ts';

/** Spreads edits over the document's paragraphs, the same ones in every run. */
const paragraphAt = (fragment: Y.XmlFragment, salt: number): number => (salt * 7919) % fragment.length;

/** One version's change: words typed into some paragraphs, whole paragraphs deleted from others. */
function edit(doc: Y.Doc, version: number, inserts: number, deletes: number): void {
  const fragment = doc.getXmlFragment(DOCUMENT_FRAGMENT);
  doc.transact(() => {
    for (let k = 0; k < inserts; k++) {
      const paragraph = fragment.get(paragraphAt(fragment, version * 31 + k));
      const text = paragraph instanceof Y.XmlElement ? paragraph.get(0) : null;
      if (text instanceof Y.XmlText) text.insert(0, `revised ${version}.${k} `);
      else if (paragraph instanceof Y.XmlElement) paragraph.insert(0, [new Y.XmlText(`revised ${version}.${k} `)]);
    }
    for (let k = 0; k < deletes && fragment.length > 1; k++) fragment.delete(paragraphAt(fragment, version * 17 + k + 1), 1);
  });
}

/** Makes `versions` changes, each committed and then named; returns the last version's revision id. */
export async function reviseDocument(args: WorkerRequests['reviseDocument']): Promise<WorkerResponses['reviseDocument']> {
  const options = { baseUrl: args.server.baseUrl, documentId: args.documentId, token: args.server.token, adapter: adapterFor(args.server.dialect) };
  const doc = new Y.Doc();
  const editor = new SyncClient({ ...options, doc });
  let received = 0;
  const observer = new SyncClient({ ...options, onRemoteUpdate: () => received++ });
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== editor) editor.sendUpdate(update);
  });
  const started = performance.now();
  try {
    await withDeadline(Promise.all([editor.synced, observer.synced]), args.timeoutMs, 'history editor sync');
    let revisionId = 0;
    for (let version = 0; version < args.versions; version++) {
      const before = received;
      edit(doc, version, args.insertsPerVersion, args.deletesPerVersion);
      while (received === before) {
        if (performance.now() - started > args.timeoutMs) throw new Error(`version ${version}: the server never broadcast the change`);
        await sleep(1);
      }
      revisionId = await nameVersion(args.httpUrl, args.server.token, args.documentId, `Version ${version + 1}`);
    }
    return { revisionId, elapsedMs: performance.now() - started };
  } finally {
    editor.close();
    observer.close();
    doc.destroy();
  }
}
