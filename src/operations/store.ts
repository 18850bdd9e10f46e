/** SQL of the operations endpoints: the readiness ping and the counts sampled when /metrics is scraped. */
import type { DB } from '../db/database.ts';
import type { CommentStatus, WebhookDeliveryStatus } from '../db/schema.ts';

/** The cheapest query that proves the database answers: `select 1`, no table read. */
export async function pingDatabase(db: DB): Promise<void> {
  await db.selectNoFrom((eb) => eb.lit(1).as('one')).execute();
}

/** Comments per status, in one GROUP BY; statuses without comments are absent. */
export async function countCommentsByStatus(db: DB): Promise<{ status: CommentStatus; count: number }[]> {
  const rows = await db.selectFrom('comments').select(['status', (eb) => eb.fn.countAll<string | number>().as('count')]).groupBy('status').execute();
  return rows.map((r) => ({ status: r.status, count: Number(r.count) }));
}

/** Webhook deliveries in the outbox per status (pending is the queue still to send), in one GROUP BY. */
export async function countWebhookDeliveriesByStatus(db: DB): Promise<{ status: WebhookDeliveryStatus; count: number }[]> {
  const rows = await db.selectFrom('webhook_deliveries').select(['status', (eb) => eb.fn.countAll<string | number>().as('count')]).groupBy('status').execute();
  return rows.map((r) => ({ status: r.status, count: Number(r.count) }));
}

/**
 * The webhook worker's queue: pending deliveries of active webhooks whose attempt is due at `now` (ISO-8601 UTC),
 * those a worker is sending right now included. Deliveries of disabled webhooks wait without being due.
 */
export async function countDueWebhookDeliveries(db: DB, now: string): Promise<number> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .innerJoin('webhooks', 'webhooks.id', 'webhook_deliveries.webhook_id')
    .select((eb) => eb.fn.countAll<string | number>().as('count'))
    .where('webhooks.active', '=', 1)
    .where('webhook_deliveries.status', '=', 'pending')
    .where('webhook_deliveries.next_attempt_at', '<=', now)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Articles scheduled and not yet published by the scheduler (newsroom/scheduler.ts), whether due or still to come. */
export async function countScheduledArticles(db: DB): Promise<number> {
  const row = await db.selectFrom('articles').select((eb) => eb.fn.countAll<string | number>().as('count')).where('status', '=', 'scheduled').executeTakeFirstOrThrow();
  return Number(row.count);
}
