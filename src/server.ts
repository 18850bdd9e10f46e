/**
 * Starts the reader site: config from the environment, listen, and a graceful shutdown on SIGTERM/SIGINT; with
 * WORKERS > 1, as the primary of a cluster whose workers each do that (operations/cluster.ts). The app and all it
 * imports load only in the process that serves: a cluster's primary never does, so it starts its first worker
 * without first spending a second and a hundred MB on modules it does not use.
 */
import cluster from 'node:cluster';
import { exitAfterOutput } from './lib/exit.ts';
import type { Server, ServerResponse } from 'node:http';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { runPrimary, SHUTDOWN_MESSAGE } from './operations/cluster.ts';
import { limitHeapGrowth } from './operations/heap-growth.ts';

/** How long in-flight requests may take to finish after a shutdown signal, in ms, before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * Keeps track of the responses being written, so that a shutdown can end their connections once they are sent.
 * Without it, a client that keeps its connection alive (browsers, load balancers, Node's own agent) holds the
 * server open after its response until it hangs up or the keep-alive timeout (72 s in Fastify) passes, and the
 * shutdown would overrun its grace period. `release()` marks responses not yet started `Connection: close` and
 * closes the connections of those already started as soon as they finish; later ones are marked on arrival.
 */
function trackResponses(server: Server): { release(): void } {
  const open = new Set<ServerResponse>();
  let releasing = false;
  const release = (response: ServerResponse) => {
    if (!response.headersSent) response.shouldKeepAlive = false;
    else response.once('finish', () => setImmediate(() => server.closeIdleConnections()));
  };
  server.on('request', (_request, response: ServerResponse) => {
    if (releasing) release(response);
    open.add(response);
    response.once('close', () => open.delete(response));
  });
  return {
    release() {
      releasing = true;
      for (const response of open) release(response);
    },
  };
}

/**
 * Builds the app and serves it until a signal (or, in a cluster worker, the primary's shutdown message). Background
 * jobs run in every worker: scheduled publishing and webhook deliveries take each article and delivery with an
 * atomic conditional UPDATE, digests with a compare-and-set, retention is idempotent (src/operations/instances.test.ts).
 */
async function serve(config: Config): Promise<void> {
  // Before the app loads: a serving process keeps its V8 heap near what is alive (peak RSS, issue 7).
  limitHeapGrowth();
  // A dynamic import: the production build (scripts/build.ts) splits the app into a chunk of its own for it.
  const { buildApp } = await import('./app.ts');
  const app = await buildApp(config);
  const responses = trackResponses(app.server);
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) {
      app.log.warn({ signal }, 'second signal: exiting without waiting for in-flight requests');
      exitAfterOutput(1);
      return;
    }
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    responses.release();
    // Not unref'd: it must also end a shutdown stuck on a promise that holds no handle open.
    const force = setTimeout(() => {
      app.log.error('shutdown grace period over; exiting');
      exitAfterOutput(1);
    }, SHUTDOWN_GRACE_MS);
    // app.close() stops accepting connections (new requests on kept-alive ones get 503), waits until every in-flight
    // response has been sent and its connection closed, then stops the background jobs (scheduler, retention,
    // digests, webhooks worker) and closes the database in its onClose hooks. Nothing is left to cut short then, and
    // exiting rather than waiting for the event loop to drain means a client library's stray handle cannot keep a
    // stopped site alive.
    app.close().then(
      () => {
        clearTimeout(force);
        app.log.info('shut down');
        exitAfterOutput(0);
      },
      (error: unknown) => {
        app.log.error({ err: error }, 'error during shutdown');
        exitAfterOutput(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // Ctrl-C signals the whole process group, the primary included, which then sends this: one shutdown, not two.
  if (cluster.isWorker) process.on('message', (message) => message === SHUTDOWN_MESSAGE && !closing && shutdown('primary'));
  await app.listen({ port: config.port, host: config.host });
  app.log.info(`${config.siteName} is on ${config.siteUrl}`);
}

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
  if (config.workers > 1 && cluster.isPrimary) runPrimary({ workers: config.workers, logLevel: config.logLevel });
  else await serve(config);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `Broadsheet failed to start: ${error.message}` : error);
  process.exit(1);
});
