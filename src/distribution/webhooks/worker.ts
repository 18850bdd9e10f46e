/**
 * The webhook worker: sends due deliveries at start (catching up on anything queued before a restart), whenever
 * the outbox queues new ones in this process, and every interval (retries, and deliveries queued by other
 * instances). Several instances may run it at once: each delivery is leased by exactly one (store.claimDelivery).
 */
import type { FastifyBaseLogger } from 'fastify';
import { isoNow } from '../../lib/clock.ts';
import type { SiteEvents } from '../../lib/site-events.ts';
import { attemptDelivery, type DeliveryDeps } from './delivery.ts';
import { webhookOutbox } from './outbox.ts';
import { dueDeliveryIds, pruneDeliveries } from './store.ts';

/** How often the worker looks for due deliveries, in ms. */
export const WEBHOOK_WORKER_INTERVAL_MS = 15_000;

/** Deliveries sent at once (one batch). */
const BATCH_SIZE = 8;

/** Delivered and failed deliveries are kept this long in the log, in ms (30 days). */
const LOG_RETENTION_MS = 30 * 24 * 3_600_000;

/** Time given to requests in flight at shutdown before they are aborted (and retried later), in ms. */
const SHUTDOWN_GRACE_MS = 3_000;

export interface WebhookWorker {
  /** Sends every delivery due now that no other worker holds; resolves with the number of attempts made. */
  runOnce(): Promise<number>;
  /** Starts a run soon (coalesced with one in progress). */
  wake(): void;
  /** Stops the timer, lets requests in flight finish for a moment, aborts the rest; resolves when all is settled. */
  close(): Promise<void>;
}

export interface WorkerDeps extends DeliveryDeps {
  log: FastifyBaseLogger;
}

/** Starts the worker's timer (unref'd) and returns it; the caller runs it once at start with `wake()`. */
export function startWebhookWorker(deps: WorkerDeps, intervalMs = WEBHOOK_WORKER_INTERVAL_MS): WebhookWorker {
  const abort = new AbortController();
  const running = new Set<Promise<number>>();
  let stopped = false;
  let woken: Promise<void> | undefined;
  let again = false;
  let prunedAt = 0;

  async function run(): Promise<number> {
    let attempts = 0;
    if (deps.clock.now().getTime() - prunedAt > 3_600_000) {
      prunedAt = deps.clock.now().getTime();
      await pruneDeliveries(deps.db, new Date(prunedAt - LOG_RETENTION_MS).toISOString());
    }
    while (!stopped) {
      const ids = await dueDeliveryIds(deps.db, isoNow(deps.clock), BATCH_SIZE);
      if (!ids.length) break;
      const outcomes = await Promise.all(ids.map((id) => attemptDelivery(deps, id, abort.signal)));
      const made = outcomes.filter((o) => o !== undefined).length;
      attempts += made;
      // Every due delivery was taken by another instance: leave the rest to it too.
      if (!made) break;
    }
    return attempts;
  }

  function runOnce(): Promise<number> {
    const task = run().finally(() => running.delete(task));
    running.add(task);
    return task;
  }

  function wake(): void {
    if (stopped) return;
    if (woken) {
      again = true;
      return;
    }
    woken = (async () => {
      do {
        again = false;
        await runOnce().catch((error: unknown) => deps.log.error({ err: error }, 'webhook delivery failed; will retry'));
      } while (again && !stopped);
    })().finally(() => {
      woken = undefined;
    });
  }

  const timer = setInterval(wake, intervalMs);
  timer.unref();

  return {
    runOnce,
    wake,
    async close() {
      stopped = true;
      clearInterval(timer);
      const settled = Promise.allSettled([...running]);
      const grace = new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref());
      await Promise.race([settled, grace]);
      abort.abort();
      await Promise.allSettled([...running]);
    },
  };
}

export interface WebhookDeps extends WorkerDeps {
  events: SiteEvents;
  /** SITE_URL, for absolute links in payloads. */
  siteUrl: string;
}

/**
 * Wires webhooks into the app: the outbox listens to site events, the worker sends what it queues and catches up
 * on what was pending before the start. `close()` (before the database closes) waits for event listeners to
 * store their deliveries, then stops the worker.
 */
export function startWebhooks(deps: WebhookDeps, intervalMs?: number): WebhookWorker {
  const worker = startWebhookWorker(deps, intervalMs);
  deps.events.on(webhookOutbox({ db: deps.db, clock: deps.clock, siteUrl: deps.siteUrl, queued: worker.wake }));
  worker.wake();
  return {
    ...worker,
    async close() {
      // Bounded, so a listener that hangs (another feature's) cannot stall shutdown.
      await Promise.race([deps.events.idle(), new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref())]);
      await worker.close();
    },
  };
}
