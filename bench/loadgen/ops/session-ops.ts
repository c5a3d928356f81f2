/**
 * Worker operations on groups of collaborators: open many clients over many documents, make
 * the writers type at a fixed rate while edit latency is measured, close them all.
 */
import * as Y from 'yjs';
import { DOCUMENT_FRAGMENT } from '../../../shared/protocol.ts';
import { sleep, withDeadline } from '../../lib/deadline.ts';
import { adapterFor } from '../../protocol/adapters.ts';
import { appendParagraph } from '../../traces/document-text.ts';
import { EditLatencyTracker } from '../edit-latency.ts';
import { SyncClient } from '../sync-client.ts';
import type { WorkerRequests, WorkerResponses } from '../worker-protocol.ts';

interface Writer {
  client: SyncClient;
  doc: Y.Doc;
  text: Y.XmlText | null;
}

const clients: SyncClient[] = [];
const writers: Writer[] = [];
let tracker = new EditLatencyTracker();

// Letters typed by writers; plain ASCII keeps update sizes like real typing.
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz ';
const TICK_MS = 5;

/** Opens every client of every group, at most `concurrency` handshakes in flight. */
export async function openClients(args: WorkerRequests['open']): Promise<WorkerResponses['open']> {
  const started = performance.now();
  const pendingStarts: (() => SyncClient)[] = [];
  args.groups.forEach((group, groupIndex) => {
    for (let index = 0; index < group.clients; index++) {
      const isWriter = index < group.writers;
      const home = ((args.firstInstance ?? 0) + groupIndex + index) % args.servers.length;
      const server = args.servers[home];
      if (!server) throw new Error('open: no server to connect to');
      pendingStarts.push(() => {
        const doc = isWriter ? new Y.Doc() : undefined;
        const client: SyncClient = new SyncClient({
          baseUrl: server.baseUrl,
          documentId: group.documentId,
          token: server.token,
          adapter: adapterFor(server.dialect),
          doc,
          onRemoteUpdate: (update, at) => tracker.updateReceived(client, update, at, home),
        });
        if (doc) {
          writers.push({ client, doc, text: null });
          tracker.addWriter(doc.clientID, group.clients - 1, client, home);
        }
        return client;
      });
    }
  });
  const syncMs: number[] = [];
  let failed = 0;
  let firstError: string | null = null;
  let next = 0;
  const lane = async () => {
    while (next < pendingStarts.length) {
      const start = pendingStarts[next++];
      if (!start) break;
      const begun = performance.now();
      const client = start();
      clients.push(client);
      try {
        await withDeadline(client.synced, args.timeoutMs, 'client sync');
        syncMs.push(client.syncedAt - begun);
      } catch (error) {
        failed++;
        firstError ??= String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, args.concurrency) }, lane));
  return { syncMs, failed, firstError, elapsedMs: performance.now() - started };
}

/** Each writer types into its own paragraph at a fixed rate for a while; returns latencies. */
export async function typeAndMeasure(args: WorkerRequests['type']): Promise<WorkerResponses['type']> {
  const clientsPerDocument = new Map<string, number>();
  for (const client of clients) clientsPerDocument.set(client.documentId, (clientsPerDocument.get(client.documentId) ?? 0) + 1);
  for (const writer of writers) {
    if (!writer.text) writer.text = prepareWriter(writer);
    tracker.setReaderCount(writer.doc.clientID, (clientsPerDocument.get(writer.client.documentId) ?? 1) - 1);
  }
  // Let the new paragraphs reach everyone before timing starts.
  await sleep(Math.min(1000, args.settleMs));
  tracker.beginWindow();
  const started = performance.now();
  const owed = new Array<number>(writers.length).fill(0);
  const sentCount = new Array<number>(writers.length).fill(0);
  while (performance.now() - started < args.durationMs) {
    const elapsedSeconds = (performance.now() - started) / 1000;
    writers.forEach((writer, index) => {
      owed[index] = Math.floor(elapsedSeconds * args.editsPerSecondPerWriter) - (sentCount[index] ?? 0);
      for (let edit = 0; edit < (owed[index] ?? 0); edit++) {
        typeOneCharacter(writer);
        sentCount[index] = (sentCount[index] ?? 0) + 1;
      }
    });
    await sleep(TICK_MS);
  }
  tracker.stopRecording();
  await sleep(args.settleMs);
  const samples = tracker.collect();
  return { ...samples, contentHashes: hashWriterContents() };
}

/** Closes every client this worker opened. */
export function closeAll(): WorkerResponses['closeAll'] {
  const closed = clients.length;
  for (const client of clients) client.close();
  clients.length = 0;
  for (const writer of writers) writer.doc.destroy();
  writers.length = 0;
  tracker = new EditLatencyTracker();
  return { closed };
}

function prepareWriter(writer: Writer): Y.XmlText {
  // Local edits go out as the update Yjs emits; remote ones (origin = the client) do not echo.
  writer.doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== writer.client) writer.client.sendUpdate(update);
  });
  return appendParagraph(writer.doc);
}

function typeOneCharacter(writer: Writer): void {
  const text = writer.text;
  if (!text || !writer.client.isOpen) return;
  const position = Math.floor(Math.random() * (text.length + 1));
  const sentAt = performance.now();
  text.insert(position, ALPHABET[Math.floor(Math.random() * ALPHABET.length)] ?? 'a');
  tracker.editSent(writer.doc.clientID, Y.getState(writer.doc.store, writer.doc.clientID), sentAt);
}

function hashWriterContents(): Record<string, string[]> {
  const byDocument: Record<string, string[]> = {};
  for (const writer of writers) {
    const content = writer.doc.getXmlFragment(DOCUMENT_FRAGMENT).toString();
    (byDocument[writer.client.documentId] ??= []).push(Bun.hash(content).toString(16));
  }
  return byDocument;
}
