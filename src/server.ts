/** Starts the reader site: config from the environment, listen, and a graceful shutdown on SIGTERM/SIGINT. */
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';

/** How long in-flight requests may take to finish after a shutdown signal, in ms, before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const app = await buildApp(config);
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    setTimeout(() => {
      app.log.error('shutdown grace period over; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    // app.close() stops accepting connections, waits for in-flight requests, then closes the database (onClose).
    // The process then ends by itself once the last response has been flushed to its socket; exiting here at once
    // could cut a large response short.
    app.close().then(
      () => {
        process.exitCode = 0;
      },
      (error: unknown) => {
        app.log.error({ err: error }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  await app.listen({ port: config.port, host: config.host });
  app.log.info(`${config.siteName} is on ${config.siteUrl}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `Broadsheet failed to start: ${error.message}` : error);
  process.exit(1);
});
