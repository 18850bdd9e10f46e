/**
 * WORKERS > 1: the primary process forks the workers (each builds the app and listens; node:cluster shares the
 * port), restarts a worker that dies with a backoff, and on SIGTERM/SIGINT asks every worker for its graceful
 * shutdown and exits once they all have. The primary never opens the database.
 */
import cluster, { type Worker } from 'node:cluster';
import { hostname } from 'node:os';
import { exitAfterOutput } from '../lib/exit.ts';

/** The IPC message that asks a worker for the graceful shutdown a signal would start. */
export const SHUTDOWN_MESSAGE = 'broadsheet:shutdown';

/**
 * The IPC message a worker sends when content changed (caching/invalidation.ts, used when there is no Redis):
 * `{ type, body }`; the primary passes it on to every other worker.
 */
export const INVALIDATE_MESSAGE = 'broadsheet:invalidate';

/** How long the primary waits for workers to finish their own graceful shutdown (10 s) before it kills them, in ms. */
const SHUTDOWN_LIMIT_MS = 15_000;

/** A worker that lived at least this long before dying is restarted at once, in ms; earlier deaths back off. */
const STABLE_AFTER_MS = 60_000;

/** Restart delays after quick deaths double from the first to the most, in ms, so a crash loop does not spin. */
const FIRST_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;

const LEVELS = { fatal: 60, error: 50, warn: 40, info: 30, debug: 20, trace: 10, silent: Infinity } as const;

/** JSON log lines shaped like the workers' pino lines (level, time, pid, hostname, msg), at or above `logLevel`. */
function primaryLog(logLevel: keyof typeof LEVELS) {
  const write = (level: number, fields: object, msg: string) => {
    if (level < LEVELS[logLevel]) return;
    process.stdout.write(`${JSON.stringify({ level, time: Date.now(), pid: process.pid, hostname: hostname(), role: 'primary', ...fields, msg })}\n`);
  };
  return {
    info: (fields: object, msg: string) => write(LEVELS.info, fields, msg),
    warn: (fields: object, msg: string) => write(LEVELS.warn, fields, msg),
    error: (fields: object, msg: string) => write(LEVELS.error, fields, msg),
  };
}

/** Delay before restarting a worker that lived `livedMs`, after `quickDeaths` quick deaths in a row (this one included). */
export function restartDelay(livedMs: number, quickDeaths: number): number {
  if (livedMs >= STABLE_AFTER_MS) return 0;
  return Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** Math.max(0, quickDeaths - 1));
}

/**
 * Runs this process as the primary of `workers` workers. The first worker starts alone and the others once it
 * listens: it migrates the database, creates the site secret and loads demo content, which must not race. A
 * worker that fails before any worker has listened ends the primary with its exit code (a start that cannot work).
 */
export function runPrimary(options: { workers: number; logLevel: keyof typeof LEVELS }): void {
  const log = primaryLog(options.logLevel);
  const started = new Map<Worker, number>();
  const restarts = new Set<NodeJS.Timeout>();
  let quickDeaths = 0;
  let listened = false;
  let stopping = false;
  let failed = false;

  const fork = (): void => {
    started.set(cluster.fork(), Date.now());
  };

  cluster.on('listening', (worker) => {
    log.info({ worker: worker.process.pid }, 'worker listening');
    if (listened) return;
    listened = true;
    for (let n = 1; n < options.workers; n++) fork();
  });

  cluster.on('message', (from, message: unknown) => {
    if (typeof message !== 'object' || message === null || (message as { type?: unknown }).type !== INVALIDATE_MESSAGE) return;
    for (const worker of started.keys()) if (worker !== from && worker.isConnected()) worker.send(message);
  });

  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (started.get(worker) ?? Date.now());
    started.delete(worker);
    if (stopping) {
      if (code !== 0) failed = true;
      if (!started.size) {
        log.info({ failed }, 'workers stopped');
        exitAfterOutput(failed ? 1 : 0);
      }
      return;
    }
    if (!listened) {
      log.error({ worker: worker.process.pid, code, signal }, 'the first worker failed to start; stopping');
      exitAfterOutput(code || 1);
      return;
    }
    quickDeaths = lived >= STABLE_AFTER_MS ? 0 : quickDeaths + 1;
    const delay = restartDelay(lived, quickDeaths);
    log.error({ worker: worker.process.pid, code, signal, restartInMs: delay }, 'worker died; restarting it');
    const timer = setTimeout(() => {
      restarts.delete(timer);
      if (!stopping) fork();
    }, delay);
    restarts.add(timer);
  });

  const shutdown = (signal: string): void => {
    if (stopping) {
      // A second signal: the workers' own second-signal rule applies (they exit 1 at once), and so does ours.
      log.warn({ signal }, 'second signal: stopping the workers without waiting');
      for (const worker of started.keys()) worker.process.kill('SIGTERM');
      exitAfterOutput(1);
      return;
    }
    stopping = true;
    for (const timer of restarts) clearTimeout(timer);
    log.info({ signal, workers: started.size }, 'shutting down the workers');
    if (!started.size) exitAfterOutput(0);
    // Workers that also got the signal (Ctrl-C reaches the whole process group) ignore this message.
    for (const worker of started.keys()) if (worker.isConnected()) worker.send(SHUTDOWN_MESSAGE);
    setTimeout(() => {
      log.error({ workers: started.size }, 'workers did not stop in time; killing them');
      for (const worker of started.keys()) worker.process.kill('SIGKILL');
      exitAfterOutput(1);
    }, SHUTDOWN_LIMIT_MS).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  log.info({ workers: options.workers }, 'starting workers');
  fork();
}
