/** SQL of webhooks: the endpoints, their delivery outbox (due, claimed, attempted) and the attempt log. */
import type { Insertable, Selectable } from 'kysely';
import type { DB } from '../../db/database.ts';
import type { WebhookAttemptTable, WebhookDeliveryStatus, WebhookDeliveryTable, WebhookTable } from '../../db/schema.ts';

export type WebhookRow = Selectable<WebhookTable>;
export type DeliveryRow = Selectable<WebhookDeliveryTable>;
export type AttemptRow = Selectable<WebhookAttemptTable>;

/** Every webhook, oldest first. */
export async function listWebhooks(db: DB): Promise<WebhookRow[]> {
  return db.selectFrom('webhooks').select(['id', 'url', 'secret', 'events', 'active', 'created_at', 'updated_at']).orderBy('id').execute();
}

/** The webhooks that get new events (active), oldest first. */
export async function listActiveWebhooks(db: DB): Promise<WebhookRow[]> {
  return db.selectFrom('webhooks').select(['id', 'url', 'secret', 'events', 'active', 'created_at', 'updated_at']).where('active', '=', 1).orderBy('id').execute();
}

/** One webhook, or undefined. */
export async function findWebhook(db: DB, id: number): Promise<WebhookRow | undefined> {
  return db.selectFrom('webhooks').select(['id', 'url', 'secret', 'events', 'active', 'created_at', 'updated_at']).where('id', '=', id).executeTakeFirst();
}

/** Stores a new webhook; returns its id. */
export async function insertWebhook(db: DB, row: Insertable<WebhookTable>): Promise<number> {
  const inserted = await db.insertInto('webhooks').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

/** Applies `changes` to a webhook; false when it does not exist. */
export async function updateWebhook(db: DB, id: number, changes: Partial<Omit<Insertable<WebhookTable>, 'id' | 'created_at'>>): Promise<boolean> {
  const result = await db.updateTable('webhooks').set(changes).where('id', '=', id).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Deletes a webhook with its deliveries and their attempts (foreign keys cascade). */
export async function deleteWebhook(db: DB, id: number): Promise<boolean> {
  const result = await db.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Stores a delivery (the outbox row); returns its id, sent as X-Broadsheet-Delivery. */
export async function insertDelivery(db: DB, row: Insertable<WebhookDeliveryTable>): Promise<number> {
  const inserted = await db.insertInto('webhook_deliveries').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

/** Pending deliveries of active webhooks due at `now` and not leased by a worker, oldest due first. */
export async function dueDeliveryIds(db: DB, now: string, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('webhook_deliveries')
    .innerJoin('webhooks', 'webhooks.id', 'webhook_deliveries.webhook_id')
    .select('webhook_deliveries.id')
    .where('webhooks.active', '=', 1)
    .where('webhook_deliveries.status', '=', 'pending')
    .where('webhook_deliveries.next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('webhook_deliveries.claimed_until', 'is', null), eb('webhook_deliveries.claimed_until', '<', now)]))
    .orderBy('webhook_deliveries.next_attempt_at')
    .orderBy('webhook_deliveries.id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Takes the lease on a due delivery until `until`. A single conditional UPDATE, atomic on both databases: of
 * several instances racing for the same delivery exactly one gets `true`.
 */
export async function claimDelivery(db: DB, id: number, now: string, until: string): Promise<boolean> {
  const result = await db
    .updateTable('webhook_deliveries')
    .set({ claimed_until: until })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** What sending a delivery needs: its body and event, and the webhook's URL and secret. */
export async function findDeliveryForSending(db: DB, id: number): Promise<{ id: number; event: string; payload: string; attempts: number; url: string; secret: string } | undefined> {
  return db
    .selectFrom('webhook_deliveries')
    .innerJoin('webhooks', 'webhooks.id', 'webhook_deliveries.webhook_id')
    .select(['webhook_deliveries.id', 'webhook_deliveries.event', 'webhook_deliveries.payload', 'webhook_deliveries.attempts', 'webhooks.url', 'webhooks.secret'])
    .where('webhook_deliveries.id', '=', id)
    .executeTakeFirst();
}

/** The outcome of one attempt and what the delivery becomes after it. */
export interface AttemptRecord {
  attemptedAt: string;
  statusCode: number | null;
  error: string;
  durationMs: number;
  status: WebhookDeliveryStatus;
  nextAttemptAt: string | null;
}

/** Logs an attempt and moves the delivery on (counted, lease released), in one transaction. */
export async function recordAttempt(db: DB, id: number, attempt: AttemptRecord): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.insertInto('webhook_attempts').values({ delivery_id: id, attempted_at: attempt.attemptedAt, status_code: attempt.statusCode, error: attempt.error, duration_ms: attempt.durationMs }).execute();
    await tx
      .updateTable('webhook_deliveries')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        status: attempt.status,
        next_attempt_at: attempt.nextAttemptAt,
        claimed_until: null,
        last_status_code: attempt.statusCode,
        last_error: attempt.error,
        ...(attempt.status === 'delivered' ? { delivered_at: attempt.attemptedAt } : {}),
      }))
      .where('id', '=', id)
      .execute();
  });
}

export type DeliveryListRow = Pick<DeliveryRow, 'id' | 'webhook_id' | 'event' | 'status' | 'attempts' | 'next_attempt_at' | 'last_status_code' | 'last_error' | 'created_at' | 'delivered_at'> & { url: string };

/** Deliveries newest first, of one webhook or of all. */
export async function listDeliveries(db: DB, filter: { webhookId?: number; limit: number; offset?: number }): Promise<DeliveryListRow[]> {
  let query = db
    .selectFrom('webhook_deliveries')
    .innerJoin('webhooks', 'webhooks.id', 'webhook_deliveries.webhook_id')
    .select([
      'webhook_deliveries.id',
      'webhook_deliveries.webhook_id',
      'webhook_deliveries.event',
      'webhook_deliveries.status',
      'webhook_deliveries.attempts',
      'webhook_deliveries.next_attempt_at',
      'webhook_deliveries.last_status_code',
      'webhook_deliveries.last_error',
      'webhook_deliveries.created_at',
      'webhook_deliveries.delivered_at',
      'webhooks.url',
    ]);
  if (filter.webhookId !== undefined) query = query.where('webhook_deliveries.webhook_id', '=', filter.webhookId);
  return query.orderBy('webhook_deliveries.id', 'desc').limit(filter.limit).offset(filter.offset ?? 0).execute();
}

/** One delivery with its payload and the webhook's URL. */
export async function findDelivery(db: DB, id: number): Promise<(DeliveryRow & { url: string }) | undefined> {
  return db
    .selectFrom('webhook_deliveries')
    .innerJoin('webhooks', 'webhooks.id', 'webhook_deliveries.webhook_id')
    .selectAll('webhook_deliveries')
    .select('webhooks.url')
    .where('webhook_deliveries.id', '=', id)
    .executeTakeFirst();
}

/** The attempts of a delivery, newest first. */
export async function listAttempts(db: DB, deliveryId: number): Promise<AttemptRow[]> {
  return db.selectFrom('webhook_attempts').select(['id', 'delivery_id', 'attempted_at', 'status_code', 'error', 'duration_ms']).where('delivery_id', '=', deliveryId).orderBy('id', 'desc').execute();
}

/**
 * Makes a delivery due now again (pending), whatever its status; false when it does not exist or a worker is
 * sending it at this moment (its lease is not taken away, so it is never sent twice at once).
 */
export async function makeDueNow(db: DB, id: number, now: string): Promise<boolean> {
  const result = await db
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', next_attempt_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Deletes delivered and failed deliveries created before `before` (their attempts cascade); returns how many. */
export async function pruneDeliveries(db: DB, before: string): Promise<number> {
  const result = await db.deleteFrom('webhook_deliveries').where('status', 'in', ['delivered', 'failed']).where('created_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The public fields of an article that webhook payloads carry. */
export async function findArticleForPayload(db: DB, id: number) {
  return db.selectFrom('articles').select(['id', 'slug', 'headline', 'dek', 'published_at', 'updated_at', 'status']).where('id', '=', id).executeTakeFirst();
}

/** The public fields of a comment that webhook payloads carry (never the email address or IP hashes). */
export async function findCommentForPayload(db: DB, id: number) {
  return db.selectFrom('comments').select(['id', 'article_id', 'author_name', 'created_at', 'erased_at']).where('id', '=', id).executeTakeFirst();
}
