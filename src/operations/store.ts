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
