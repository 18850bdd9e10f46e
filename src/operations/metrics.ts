/**
 * Prometheus metrics of one app instance (prom-client): process defaults, HTTP request durations by route pattern,
 * comment and webhook-outbox counts and queue depths sampled at scrape time, and the PostgreSQL pools' connections.
 * Each instance has its own Registry, never the global one, so several apps can run in one process (tests).
 */
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CachingReport } from '../caching/setup.ts';
import { poolStatistics, type DB } from '../db/database.ts';
import type { CommentStatus, WebhookDeliveryStatus } from '../db/schema.ts';
import { isoNow, type Clock } from '../lib/clock.ts';
import { countCommentsByStatus, countDueWebhookDeliveries, countScheduledArticles, countWebhookDeliveriesByStatus } from './store.ts';

/** Statuses always exported (0 when none), so a series does not vanish when its last row changes status. */
const COMMENT_STATUSES: readonly CommentStatus[] = ['approved', 'pending', 'spam', 'trash'];
const DELIVERY_STATUSES: readonly WebhookDeliveryStatus[] = ['pending', 'delivered', 'failed'];

/** The `route` label of requests no route matched: the label stays bounded whatever addresses are asked for. */
export const UNMATCHED_ROUTE = 'not_found';

export interface AppMetrics {
  registry: Registry;
  /** onResponse hook: records the request's duration under its route pattern. */
  observe(request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

/** A gauge labelled by status whose values are counted by `count` at each scrape; a failed count is logged and left out. */
function statusGauge<S extends string>(registry: Registry, log: FastifyBaseLogger, name: string, help: string, statuses: readonly S[], count: () => Promise<{ status: S; count: number }[]>): void {
  new Gauge({
    name,
    help,
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      try {
        const counted = new Map((await count()).map((r) => [r.status as string, r.count]));
        for (const status of new Set([...statuses, ...counted.keys()])) this.set({ status }, counted.get(status) ?? 0);
      } catch (error) {
        log.warn({ err: error, metric: name }, 'metrics: count failed');
      }
    },
  });
}

/** An unlabelled gauge counted by `count` at each scrape; a failed count is logged and the series left out. */
function countGauge(registry: Registry, log: FastifyBaseLogger, name: string, help: string, count: () => Promise<number>): void {
  new Gauge({
    name,
    help,
    registers: [registry],
    async collect() {
      this.reset();
      try {
        this.set(await count());
      } catch (error) {
        log.warn({ err: error, metric: name }, 'metrics: count failed');
      }
    },
  });
}

/**
 * broadsheet_db_pool_connections{pool,state}: each PostgreSQL pool's open connections (total), the idle ones among
 * them, and the queries waiting for one (a pool at DATABASE_POOL_SIZE with queries waiting is the database's queue).
 * Read from pg.Pool at scrape time, without a query. No series on SQLite, which has no pool.
 */
function poolGauge(registry: Registry, pools: { primary: DB; replica?: DB }): void {
  new Gauge({
    name: 'broadsheet_db_pool_connections',
    help: 'PostgreSQL pool connections by pool (primary, replica) and state (total open, idle, waiting: queries queued for a connection)',
    labelNames: ['pool', 'state'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [pool, db] of Object.entries(pools)) {
        const statistics = db && poolStatistics(db);
        if (!statistics) continue;
        for (const state of ['total', 'idle', 'waiting'] as const) this.set({ pool, state }, statistics[state]);
      }
    },
  });
}

/**
 * broadsheet_page_cache_requests_total{result="hit|miss|bypass"}: reader pages answered from this process's page
 * cache, rendered and kept, or rendered for one reader only (a cookie, not 200); broadsheet_page_cache_entries and
 * broadsheet_page_cache_bytes: what it holds. Read from the cache's own counts at scrape time.
 */
function pageCacheMetrics(registry: Registry, report: () => CachingReport | undefined): void {
  new Counter({
    name: 'broadsheet_page_cache_requests_total',
    help: 'Reader pages by what the in-process page cache did: hit (served from it), miss (rendered and kept), bypass (personal or not cacheable)',
    labelNames: ['result'] as const,
    registers: [registry],
    collect() {
      const now = report();
      this.reset();
      if (now) for (const result of ['hit', 'miss', 'bypass'] as const) this.inc({ result }, now[result]);
    },
  });
  for (const [name, help, field] of [
    ['broadsheet_page_cache_entries', 'Pages held by the in-process page cache', 'entries'],
    ['broadsheet_page_cache_bytes', 'Bytes held by the in-process page cache (bodies, their compressed copies and overhead)', 'bytes'],
  ] as const) {
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(report()?.[field] ?? 0);
      },
    });
  }
}

/**
 * The metrics of one app. Counts and queue depths are read from the primary `db` (a replica may lag); `readDb`, when it
 * is another database than `db` (DATABASE_READ_URL), has its pool reported as `pool="replica"`.
 */
export function createMetrics(deps: { db: DB; readDb?: DB; clock: Clock; log: FastifyBaseLogger; pageCache?: () => CachingReport | undefined }): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer HTTP requests, in seconds, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [registry],
  });
  // First: prom-client collects in registration order, so the pools are read before the counts below take connections.
  poolGauge(registry, { primary: deps.db, replica: deps.readDb === deps.db ? undefined : deps.readDb });
  statusGauge(registry, deps.log, 'broadsheet_comments', 'Reader comments by moderation status', COMMENT_STATUSES, () => countCommentsByStatus(deps.db));
  statusGauge(registry, deps.log, 'broadsheet_webhook_deliveries', 'Webhook deliveries in the outbox by status (pending: the queue still to send)', DELIVERY_STATUSES, () => countWebhookDeliveriesByStatus(deps.db));
  // Queue depths. The moderation queue is broadsheet_comments{status="pending"}.
  countGauge(registry, deps.log, 'broadsheet_webhook_deliveries_due', 'Webhook deliveries due now: pending deliveries of active webhooks whose attempt time has come (the worker\'s queue)', () => countDueWebhookDeliveries(deps.db, isoNow(deps.clock)));
  countGauge(registry, deps.log, 'broadsheet_scheduled_articles', 'Articles scheduled and not yet published', () => countScheduledArticles(deps.db));
  if (deps.pageCache) pageCacheMetrics(registry, deps.pageCache);
  return {
    registry,
    async observe(request, reply) {
      // The pattern (`/articles/:slug`), never the address: one series per route, not per article.
      const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
      duration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    },
  };
}
