/**
 * Prometheus metrics of one app instance (prom-client): process defaults, HTTP request durations by route pattern,
 * and comment and webhook-outbox counts sampled at scrape time. Each instance has its own Registry, never the
 * global one, so several apps can run in one process (tests).
 */
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { DB } from '../db/database.ts';
import type { CommentStatus, WebhookDeliveryStatus } from '../db/schema.ts';
import { countCommentsByStatus, countWebhookDeliveriesByStatus } from './store.ts';

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

export function createMetrics(deps: { db: DB; log: FastifyBaseLogger }): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer HTTP requests, in seconds, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [registry],
  });
  statusGauge(registry, deps.log, 'broadsheet_comments', 'Reader comments by moderation status', COMMENT_STATUSES, () => countCommentsByStatus(deps.db));
  statusGauge(registry, deps.log, 'broadsheet_webhook_deliveries', 'Webhook deliveries in the outbox by status (pending: the queue still to send)', DELIVERY_STATUSES, () => countWebhookDeliveriesByStatus(deps.db));
  return {
    registry,
    async observe(request, reply) {
      // The pattern (`/articles/:slug`), never the address: one series per route, not per article.
      const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
      duration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    },
  };
}
