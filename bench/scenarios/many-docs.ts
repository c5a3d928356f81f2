/**
 * Scenario 2, many documents: D documents with C clients each and light editing. Memory is
 * measured in two steps, so each cost is separated: first one (writing) client per document
 * gives the cost of an open document, then the other C-1 clients give the cost per connection.
 */
import { sleep } from '../lib/deadline.ts';
import { mergeSamples, round, summarize } from '../lib/stats.ts';
import { provisionDocuments, type RunningServer } from '../servers/launcher.ts';
import type { TargetName } from '../servers/targets.ts';
import { addressOf, forEachServer, measured, withServer } from './server-session.ts';
import type { ResultRow, Scenario, ScenarioContext } from './types.ts';

// Time for memory to settle after a burst of connections before RSS is read.
const SETTLE_BEFORE_SAMPLE_MS = 1_500;

/**
 * Opens `clients` clients (the first `writers` of them typing) on each document. With several
 * instances of a cluster, a document's clients land on consecutive instances, rotating per document.
 */
export async function openPerDocument(context: ScenarioContext, servers: readonly RunningServer[], documentIds: string[], clients: number, writers: number): Promise<void> {
  const workers = context.pool.workers.length;
  // All clients of a document live in one worker so its edit latency is measured in one process.
  const opened = await context.pool.all(
    'open',
    (worker) => ({
      servers: servers.map(addressOf),
      firstInstance: worker.index,
      groups: documentIds.filter((_, index) => index % workers === worker.index).map((documentId) => ({ documentId, clients, writers })),
      concurrency: 50,
      timeoutMs: 30_000,
    }),
    180_000,
  );
  const failed = opened.reduce((sum, result) => sum + result.failed, 0);
  if (failed > 0) throw new Error(`${failed} clients failed to sync: ${opened.find((result) => result.firstError)?.firstError}`);
}

async function measureManyDocs(context: ScenarioContext, name: TargetName): Promise<ResultRow[]> {
  const { documents, clientsPerDocument, editsPerSecondPerDocument, durationMs } = context.plan.manyDocs;
  return withServer(context, name, async (server) => {
    const documentIds = await provisionDocuments(server, documents, 'many');
    await sleep(SETTLE_BEFORE_SAMPLE_MS);
    const baseline = server.sample();
    await openPerDocument(context, [server], documentIds, 1, 1);
    await sleep(SETTLE_BEFORE_SAMPLE_MS);
    const withDocuments = server.sample();
    await openPerDocument(context, [server], documentIds, clientsPerDocument - 1, 0);
    await sleep(SETTLE_BEFORE_SAMPLE_MS);
    const withConnections = server.sample();
    const settleMs = 1_500;
    const { result: parts, use } = await measured(server, () =>
      context.pool.all('type', () => ({ editsPerSecondPerWriter: editsPerSecondPerDocument, durationMs, settleMs }), durationMs + settleMs + 60_000),
    );
    const delivery = summarize(mergeSamples(parts.map((part) => part.delivery)));
    const kib = (bytes: number) => round(bytes / 1024, 1);
    const extraConnections = documents * (clientsPerDocument - 1);
    return [
      {
        server: name,
        case: `${documents}x${clientsPerDocument}`,
        metrics: {
          documents,
          connections: documents * clientsPerDocument,
          rssPerDocumentKiB: kib((withDocuments.rssBytes - baseline.rssBytes) / documents),
          rssPerConnectionKiB: extraConnections > 0 ? kib((withConnections.rssBytes - withDocuments.rssBytes) / extraConnections) : null,
          deliveryMedianMs: delivery.median,
          deliveryP99Ms: delivery.p99,
          editsSent: parts.reduce((sum, part) => sum + part.editsSent, 0),
          editsIncomplete: parts.reduce((sum, part) => sum + part.editsIncomplete, 0),
          serverCpuPercent: round((use.cpuMs / (durationMs + settleMs)) * 100, 1),
          serverPeakRssMiB: use.peakRssMiB,
        },
      },
    ];
  });
}

/** Runs the many-documents scenario on every server. */
export const manyDocsScenario: Scenario = async (context) => {
  const { documents, clientsPerDocument, editsPerSecondPerDocument } = context.plan.manyDocs;
  return {
    id: 'many-docs',
    title: `2. Many documents (${documents} documents x ${clientsPerDocument} clients)`,
    rows: await forEachServer(context, context.servers, (name) => measureManyDocs(context, name)),
    compareMetrics: ['rssPerDocumentKiB', 'rssPerConnectionKiB', 'deliveryP99Ms', 'serverCpuPercent'],
    notes: [
      `One writer per document types ${editsPerSecondPerDocument} characters/s; the others observe.`,
      'Per document = RSS growth when one client opens each document, divided by documents; per connection = RSS growth from the remaining clients, divided by them (RSS includes garbage not yet collected).',
    ],
  };
};
