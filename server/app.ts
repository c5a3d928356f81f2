/**
 * Composes the Elysia app from its modules, in order: error mapping, request guard, OpenAPI,
 * health, session, accounts, single sign-on, documents, activity, sync, and last the static
 * client with its fallback.
 */
import { Elysia } from 'elysia';
import type { ClusterBus } from './cluster/bus.ts';
import type { Config } from './config.ts';
import { apiReference } from './http/api-reference.ts';
import { errorHandling } from './http/errors.ts';
import { hostCheck, hostPolicy } from './http/host-check.ts';
import { securityHeaders } from './http/security-headers.ts';
import { requestGuard } from './http/request-guard.ts';
import { clientRoutes } from './http/static.ts';
import type { Logger } from './logger.ts';
import { accessRoutes } from './modules/access/index.ts';
import type { AccessService } from './modules/access/service.ts';
import { activityRoutes } from './modules/activity/index.ts';
import { historyRoutes, trashRoutes } from './modules/history/index.ts';
import type { HistoryService } from './modules/history/service.ts';
import type { TrashService } from './modules/history/trash.ts';
import { attachmentRoutes, attachmentUploadRoute } from './modules/attachments/index.ts';
import type { AttachmentService } from './modules/attachments/service.ts';
import { importExportRoutes, importRoute } from './modules/import-export/index.ts';
import type { ImportExportService } from './modules/import-export/service.ts';
import { searchRoutes } from './modules/search/index.ts';
import type { SearchIndexer } from './modules/search/indexer.ts';
import type { SearchService } from './modules/search/service.ts';
import type { ActivityService } from './modules/activity/service.ts';
import { documentRoutes } from './modules/documents/index.ts';
import type { DocumentService } from './modules/documents/service.ts';
import type { UserDirectory } from './modules/accounts/directory.ts';
import { accountRoutes, publicAccountRoutes } from './modules/accounts/index.ts';
import type { AccountService } from './modules/accounts/service.ts';
import { oidcRoutes } from './modules/oidc/index.ts';
import type { OidcService } from './modules/oidc/service.ts';
import { sessionRoutes } from './modules/session/index.ts';
import type { SessionService } from './modules/session/service.ts';
import type { Store } from './storage/store.ts';
import type { Metrics } from './ops/metrics.ts';
import { metricsRoutes } from './ops/metrics-route.ts';
import { requestLog } from './ops/request-log.ts';
import type { syncEndpoint } from './sync/elysia-adapter.ts';
import type { KeyedRateLimiter } from './sync/rate-limit.ts';
import type { RoomRegistry } from './sync/rooms.ts';
import type { UpdateWriter } from './sync/update-writer.ts';

/** What the services need from the HTTP server once it listens. */
export interface ListeningServer {
  requestIP(request: Request): { address: string } | null;
  publish(topic: string, data: Uint8Array): number;
}

/** Everything the routes need, built by `createServices`. */
export interface AppServices {
  config: Config;
  logger: Logger;
  store: Store;
  writer: UpdateWriter;
  rooms: RoomRegistry;
  sessions: SessionService;
  /** Account creation and sign-in (single sign-on calls `signInWithVerifiedEmail`). */
  accounts: AccountService;
  directory: UserDirectory;
  /** Single sign-on; null unless `OIDC_ISSUER`, `OIDC_CLIENT_ID` and `OIDC_CLIENT_SECRET` are set. */
  oidc: OidcService | null;
  documents: DocumentService;
  /** Who may do what with each document; changes who has access. */
  access: AccessService;
  /** Revisions, diffs, named versions and restores. */
  history: HistoryService;
  trash: TrashService;
  activity: ActivityService;
  /** Images in documents. */
  attachments: AttachmentService;
  /** Full-text search, and the indexer that keeps it in step with edits. */
  search: SearchService;
  searchIndexer: SearchIndexer;
  /** Documents from and to Markdown, HTML, text and .docx files. */
  importExport: ImportExportService;
  /** The cluster bus when `REDIS_URL` is set. */
  bus: ClusterBus | null;
  /** Prometheus metrics, served at `/metrics`. */
  metrics: Metrics;
  /** Sign-ins and account creations per client address. */
  sessionLimiter: KeyedRateLimiter;
  clientIp: (request: Request) => string;
  /** Called once the server listens: client addresses and native fan-out come from it. */
  bindServer(server: ListeningServer): void;
  /** Stops the services' timers (shutdown). */
  close(): void;
}

/**
 * Health: 503 while storage is unreachable or commits are failing (nothing new can be made
 * durable); 200 "degraded" while only Redis is away (local connections are still served).
 */
async function health(services: AppServices): Promise<Response> {
  const problems: string[] = [];
  try {
    await services.store.ping();
  } catch (error) {
    problems.push(`storage unreachable: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (services.writer.failure) {
    problems.push(`storing updates failing (${services.writer.pending} pending): ${services.writer.failure.message}`);
  }
  if (problems.length > 0) return Response.json({ status: 'unavailable', problems }, { status: 503 });
  if (services.bus && !services.bus.healthy) {
    return Response.json({ status: 'degraded', problems: ['redis unreachable: serving local connections only'] });
  }
  return Response.json({ status: 'ok' });
}

/**
 * Builds the HTTP + WebSocket app. `sync` is the sync endpoint (`syncEndpoint`), whose socket
 * handlers the caller gives to `listen`.
 */
export function createApp(services: AppServices, sync: ReturnType<typeof syncEndpoint>) {
  const { config, logger } = services;
  const accountDeps = {
    limiter: services.sessionLimiter,
    clientIp: services.clientIp,
    publicUrl: config.publicUrl,
    oidc: config.oidc !== null,
  };
  return new Elysia({
    // Reject unknown body fields with 422 instead of silently dropping them.
    normalize: false,
    websocket: {
      // Our own check answers oversized frames with 4413, which stock clients take as final. Bun's
      // hard cap (1009, which they retry for ever) sits far above it so only absurd frames ever
      // meet it, and above the document limit: a step 2 may legitimately be that large.
      maxPayloadLength: Math.max(config.limits.maxMessageBytes * 16, config.limits.maxDocumentBytes + 1024),
      backpressureLimit: config.limits.maxBufferedBytes,
      closeOnBackpressureLimit: false,
      idleTimeout: 60,
      sendPings: true,
    },
  })
    .use(requestLog(logger, config.trustProxy !== null))
    .use(securityHeaders())
    .use(hostCheck(hostPolicy(config.allowedHosts, config.publicUrl)))
    .use(errorHandling(logger))
    .use(metricsRoutes(services.metrics, config.metricsToken))
    .use(requestGuard(config.limits.maxBodyBytes, [attachmentUploadRoute(config.limits.maxAttachmentBytes), importRoute(config.limits.maxImportBytes)]))
    .use(apiReference())
    .get('/healthz', () => health(services), { detail: { summary: 'Health of the server and its storage' } })
    .use(sessionRoutes(services.sessions, services.accounts, accountDeps))
    .use(publicAccountRoutes(services.accounts, services.directory, accountDeps))
    .use(oidcRoutes(services.oidc, config.publicUrl))
    .use(accountRoutes(services.accounts, services.directory, services.sessions, accountDeps))
    .use(importExportRoutes(services.importExport, services.sessions, { maxImportBytes: config.limits.maxImportBytes, publicUrl: config.publicUrl }))
    .use(documentRoutes(services.documents, services.sessions))
    .use(attachmentRoutes(services.attachments, services.sessions))
    .use(searchRoutes(services.search, services.sessions))
    .use(accessRoutes(services.access, services.sessions, config.publicUrl))
    .use(historyRoutes(services.history, services.sessions))
    .use(trashRoutes(services.trash, services.sessions))
    .use(
      activityRoutes(services.activity, services.access, services.sessions, {
        heartbeatMs: config.sseHeartbeatMs,
        maxBufferedBytes: config.limits.maxBufferedBytes,
        maxStreamsPerSession: config.limits.maxStreamsPerSession,
        maxStreamsPerUser: config.limits.maxStreamsPerUser,
      }),
    )
    .use(sync.route)
    .use(clientRoutes(config.clientDir));
}

/** The app's type, for Eden's typed client. */
export type App = ReturnType<typeof createApp>;
