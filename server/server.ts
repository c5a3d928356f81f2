/** Builds Quire's services from a config, starts the HTTP server, and stops it gracefully. */
import type { Config } from './config.ts';
import { createApp, type App, type AppServices, type ListeningServer } from './app.ts';
import { syncEndpoint } from './sync/elysia-adapter.ts';
import { createLogger, type Logger } from './logger.ts';
import { ActivityTail } from './cluster/activity-tail.ts';
import { ClusterBus } from './cluster/bus.ts';
import { ClusterSync } from './cluster/cluster-sync.ts';
import { LiveAccess } from './modules/access/live-access.ts';
import { RevisionCapture } from './modules/history/capture.ts';
import { liveText, MAX_INLINE_TEXT_BYTES, storedText } from './modules/search/live-text.ts';
import { DOCUMENT_FRAGMENT } from '../shared/protocol.ts';
import { scheduleThinning } from './modules/history/retention.ts';
import { HistoryService } from './modules/history/service.ts';
import { TrashService } from './modules/history/trash.ts';
import { AccessService } from './modules/access/service.ts';
import { ActivityHub } from './modules/activity/hub.ts';
import { ActivityService } from './modules/activity/service.ts';
import { AttachmentService } from './modules/attachments/service.ts';
import { ImportExportService } from './modules/import-export/service.ts';
import { MAX_INDEXED_CHARS, SearchIndexer } from './modules/search/indexer.ts';
import { SearchService } from './modules/search/service.ts';
import { RenderPool } from './modules/documents/render-pool.ts';
import { DocumentService } from './modules/documents/service.ts';
import { UserDirectory } from './modules/accounts/directory.ts';
import { PasswordHasher } from './modules/accounts/passwords.ts';
import { AccountService } from './modules/accounts/service.ts';
import type { OidcService } from './modules/oidc/service.ts';
import { SignInThrottle } from './modules/accounts/throttle.ts';
import { LiveSessions } from './modules/session/live-sessions.ts';
import { SessionService } from './modules/session/service.ts';
import { resolveSessionSecret } from './modules/session/token.ts';
import { PostgresStore } from './storage/postgres.ts';
import { SqliteStore } from './storage/sqlite.ts';
import type { Store } from './storage/store.ts';
import { clientAddressRule } from './http/client-address.ts';
import { Metrics } from './ops/metrics.ts';
import { meterFanout, type PublishAll } from './sync/fanout.ts';
import { KeyedRateLimiter } from './sync/rate-limit.ts';
import { RoomRegistry } from './sync/rooms.ts';
import { UpdateWriter } from './sync/update-writer.ts';

/** A started server. */
export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  app: App;
  services: AppServices;
  /** Graceful stop: refuse new work, close sockets with 1001, flush writes and bursts. */
  stop(): Promise<void>;
}

/** Opens the store the configuration names. */
export async function openStore(config: Config, logger?: Logger): Promise<Store> {
  if (config.databaseUrl) return PostgresStore.open(config.databaseUrl);
  return new SqliteStore(config.dataDir, { synchronous: config.sqliteSynchronous, logger });
}

/** Wires every service together; with `REDIS_URL`, joins the cluster. */
export async function createServices(config: Config, logger: Logger, store?: Store): Promise<AppServices> {
  const resolvedStore = store ?? (await openStore(config, logger));
  const signInThrottle = new SignInThrottle();
  const bus = config.redisUrl ? await ClusterBus.connect(config.redisUrl, logger) : null;
  await bus?.ready();
  const hub = new ActivityHub();
  const tail = bus ? new ActivityTail(resolvedStore, hub, bus, logger) : null;
  await tail?.start();
  const activity = new ActivityService(resolvedStore, hub, logger, config.activityIdleMs, config.activityMaxSpanMs, tail?.announce);
  const cluster = bus ? new ClusterSync(bus, logger) : null;
  const capture = new RevisionCapture(resolvedStore, logger);
  const metrics = new Metrics();
  const writer = new UpdateWriter(resolvedStore, logger, metrics.writerObserver);
  let listening: ListeningServer | null = null;
  // Rooms exist only once sockets connect, so the server is listening by then.
  const publishAll: PublishAll = (topic, frame) => void listening?.publish(topic, frame);
  meterFanout(publishAll, metrics.fanoutMeter);
  const clientAddress = clientAddressRule(config.trustProxy);
  const rooms = new RoomRegistry(
    {
      publishAll,
      maxBufferedBytes: config.limits.maxBufferedBytes,
      store: resolvedStore,
      writer,
      logger,
      compactAfterUpdates: config.compactAfterUpdates,
      maxDocumentBytes: config.limits.maxDocumentBytes,
      structure: config.limits,
      maxDocumentAwarenessBytes: config.limits.maxDocumentAwarenessBytes,
      // Activity before capture: a closing room's bursts end (and take their revisions) first.
      observers: [activity, ...(config.history ? [capture] : []), ...(cluster ? [cluster] : [])],
    },
    config.limits.maxConnectionsPerDocument,
    config.syncKeepAliveMs,
    config.documentUnloadAfterMs,
  );
  cluster?.attach(rooms);
  const live = new LiveSessions(rooms, hub, bus, logger);
  const sessionSecret = resolveSessionSecret(config.sessionSecret, config.dataDir);
  const sessions = new SessionService(resolvedStore, sessionSecret, config.sessionTtlSeconds, live);
  await sessions.startPurging((error) => logger.warn('purging expired sessions failed', { error }));
  const accounts = new AccountService(resolvedStore, sessions, new PasswordHasher(config.passwordHashCost), signInThrottle, config.registration);
  const liveAccess = new LiveAccess(resolvedStore, rooms, hub, bus, logger);
  const directory = new UserDirectory(resolvedStore, sessions, live, config.registration, liveAccess);
  // openid-client (with jose) loads only where sign-in through a provider is configured.
  const oidc = config.oidc ? new (await import('./modules/oidc/service.ts')).OidcService(config.oidc, accounts, sessionSecret, logger) : null;
  const renderer = new RenderPool({
    workers: config.renderWorkers,
    maxRenderMs: config.limits.maxRenderMs,
    maxQueue: config.limits.maxRenderQueue,
    maxPerOwner: config.limits.maxRendersPerUser,
    structure: config.limits,
  });
  const access = new AccessService(resolvedStore, liveAccess);
  const documents = new DocumentService(resolvedStore, rooms, cluster ? [activity, cluster] : [activity], config.limits, renderer, access, config.defaultAccess);
  const history = new HistoryService(resolvedStore, rooms, capture, access, renderer, logger, config.history);
  history.restoreListeners.push(activity);
  if (config.history) {
    activity.revisions = history;
    documents.history = history;
  }
  const trash = new TrashService(resolvedStore, config.trashRetentionDays, logger, (id, caller) => documents.get(id, caller));
  trash.start();
  const stopThinning = scheduleThinning(resolvedStore, config.revisionRetentionDays, logger);
  const attachments = new AttachmentService(resolvedStore, access, config.limits.maxAttachmentBytes);
  const importExport = new ImportExportService(documents, attachments, config.limits);
  // A document being edited here has its text read from its live Y.Doc up to the indexed length
  // (cheap, where a render of a large document would hold a render worker for seconds), and so
  // has one whose stored state is small (every new document, most documents), from a Y.Doc built
  // for the purpose. A larger stored state (closed, or open but only read) goes to a render
  // worker of the indexer's own, so indexing never takes people's render workers or queue places
  // (RENDER_WORKERS and its limits stay theirs).
  const indexRenderer = new RenderPool({ workers: 1, maxRenderMs: config.limits.maxRenderMs, maxQueue: 1, maxPerOwner: 1, structure: config.limits });
  const documentText = async (id: string) => {
    const open = rooms.peek(id);
    if (open?.liveDoc) return liveText(open.liveDoc.getXmlFragment(DOCUMENT_FRAGMENT), MAX_INDEXED_CHARS);
    const updates = open ? [open.encodeStateAsUpdate()] : (await resolvedStore.loadUpdates(id)).map((row) => row.data);
    if (updates.reduce((bytes, update) => bytes + update.byteLength, 0) <= MAX_INLINE_TEXT_BYTES) {
      return storedText(updates, DOCUMENT_FRAGMENT, MAX_INDEXED_CHARS);
    }
    return indexRenderer.render('search-indexer', 'text', async () => updates);
  };
  const searchIndexer = new SearchIndexer(resolvedStore, documentText, logger, config.searchIndexIntervalMs);
  searchIndexer.start();
  metrics.watch({ rooms, hub, bus, store: resolvedStore, writer });
  return {
    config,
    logger,
    store: resolvedStore,
    writer,
    rooms,
    sessions,
    accounts,
    directory,
    oidc,
    documents,
    access,
    activity,
    history,
    trash,
    attachments,
    search: new SearchService(resolvedStore),
    searchIndexer,
    importExport,
    bus,
    metrics,
    sessionLimiter: new KeyedRateLimiter(config.limits.sessionsPerMinutePerIp / 60, config.limits.sessionsPerMinutePerIp),
    clientIp: (request) => clientAddress(listening?.requestIP(request)?.address ?? 'unknown', request.headers.get('x-forwarded-for')),
    bindServer: (server) => {
      listening = server;
    },
    close: () => {
      indexRenderer.close();
      sessions.stopPurging();
      trash.stop();
      stopThinning();
      signInThrottle.close();
      metrics.close();
    },
  };
}

/** Starts a server; `config.port` 0 picks a free port. */
export async function startServer(config: Config, logger: Logger = createLogger(config.logLevel), store?: Store): Promise<RunningServer> {
  const services = await createServices(config, logger, store);
  const sync = syncEndpoint({ ...services, onRateLimited: (reason) => services.metrics.refused(reason) });
  const app = createApp(services, sync);
  // The sync sockets are handled by the endpoint itself, not through Elysia's wrappers.
  app.listen({ port: config.port, hostname: config.host, websocket: sync.socketHandlers });
  const server = app.server;
  if (!server) throw new Error('the HTTP server did not start');
  services.bindServer(server);
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${server.port}`;
  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      // Bun's stop() resolves only once open connections are gone, so close ours meanwhile.
      const stopped = server.stop(false);
      services.activity.hub.endAll('server going away');
      await services.searchIndexer.stop();
      // Renders waiting or running answer 503 now instead of holding the stop for seconds.
      services.documents.close();
      await services.rooms.shutdown();
      await stopped;
      await services.writer.idle();
      await services.activity.flush();
      services.writer.close();
      services.sessionLimiter.close();
      services.close();
      await services.bus?.close();
      await services.store.close();
    })());
  return { url, port: server.port ?? config.port, app, services, stop };
}
