/**
 * A render worker's entry: renders documents for the content route on its own thread, so a
 * large document holds up this thread and never the server's event loop. The pool bounds each
 * render in time and replaces a worker that runs over.
 */
import * as Y from 'yjs';
import { DOCUMENT_FRAGMENT } from '../../../shared/protocol.ts';
import { renderContent } from './content.ts';
import { CONTENT_TYPES } from './content-types.ts';
import type { RenderRequest, RenderWorkerMessage } from './render-protocol.ts';
import { DocumentTooComplexError } from './structure.ts';

declare const self: Worker;

function render(request: RenderRequest): RenderWorkerMessage {
  const doc = new Y.Doc();
  try {
    doc.transact(() => {
      for (const update of request.updates) Y.applyUpdate(doc, update);
    });
    return { kind: 'rendered', body: renderContent(doc, request.format, request.limits) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { kind: 'failed', tooComplex: error instanceof DocumentTooComplexError, message };
  } finally {
    doc.destroy();
  }
}

/** A one-line document rendered in every format, so the first real render finds everything loaded and compiled. */
function warmUp(): void {
  const doc = new Y.Doc();
  const paragraph = new Y.XmlElement('paragraph');
  doc.getXmlFragment(DOCUMENT_FRAGMENT).insert(0, [paragraph]);
  paragraph.insert(0, [new Y.XmlText('warm')]);
  const updates = [Y.encodeStateAsUpdate(doc)];
  doc.destroy();
  for (const format of Object.keys(CONTENT_TYPES) as (keyof typeof CONTENT_TYPES)[]) {
    render({ format, updates, limits: { maxNestingDepth: 4, maxDocumentNodes: 100 } });
  }
}

/**
 * Past this much input, a render leaves hundreds of megabytes of garbage, and the collector does
 * not visit an idle worker: each large render would add its garbage to the last one's (measured:
 * 0.9 GB more per render of 200,000 blocks). The collection runs after the answer is sent.
 */
const COLLECT_AFTER_BYTES = 256 * 1024;

warmUp();
self.onmessage = (event: MessageEvent<RenderRequest>) => {
  self.postMessage(render(event.data));
  if (event.data.updates.reduce((bytes, update) => bytes + update.byteLength, 0) > COLLECT_AFTER_BYTES) Bun.gc(true);
};
self.postMessage({ kind: 'ready' } satisfies RenderWorkerMessage);
