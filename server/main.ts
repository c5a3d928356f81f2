/** Entry point of `npm start`: reads the environment, starts Quire, stops it gracefully on signals. */
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { startServer } from './server.ts';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`Quire cannot start: ${error.message}`);
    process.exit(2);
  }
  throw error;
}

const logger = createLogger(config.logLevel);
const server = await startServer(config, logger);
logger.info('listening', { url: server.url, dataDir: config.dataDir, storage: config.databaseUrl ? 'postgres' : 'sqlite' });

const shutdownTimeoutMs = config.shutdownTimeoutMs;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    logger.info('shutting down', { signal });
    // A drain that hangs (storage that never answers) must not hold up an orchestrator's restart:
    // whatever is unsaved is still on the clients, which send it again once they reconnect.
    setTimeout(() => {
      logger.error('shutdown timed out: exiting without finishing it', { timeoutMs: shutdownTimeoutMs, pendingUpdates: server.services.writer.pending });
      process.exit(1);
    }, shutdownTimeoutMs);
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', { error });
        process.exit(1);
      },
    );
  });
}
