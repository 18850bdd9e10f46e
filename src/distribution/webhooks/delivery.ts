/**
 * One attempt at one delivery: take its lease, POST the signed body, log the attempt, and either mark it delivered
 * (2xx), schedule the next attempt with exponential backoff, or give up after MAX_ATTEMPTS.
 */
import type { DB } from '../../db/database.ts';
import type { WebhookDeliveryStatus } from '../../db/schema.ts';
import type { Clock } from '../../lib/clock.ts';
import { postWebhook } from './sender.ts';
import { signBody } from './signature.ts';
import { claimDelivery, findDeliveryForSending, recordAttempt } from './store.ts';

/** Wait before each retry, in ms: 1 min, 5 min, 30 min, 2 h, 12 h (after the 1st … 5th failed attempt). */
export const RETRY_DELAYS_MS: readonly number[] = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 12 * 3_600_000];

/** Attempts before a delivery is marked failed (the first one and one per retry delay). */
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** Deadline of one HTTP attempt, in ms. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** How long a worker holds a delivery it is sending, in ms; well above the timeout, so a lease never lapses mid-send. */
export const CLAIM_MS = 60_000;

export interface DeliveryDeps {
  db: DB;
  clock: Clock;
  /** WEBHOOKS_ALLOW_PRIVATE: loopback and private targets allowed. */
  allowPrivate: boolean;
  timeoutMs?: number;
}

/** When attempt number `attempts + 1` is due after `attempts` failed ones ending at `now`, or null to give up. */
export function nextAttemptAt(attempts: number, now: Date): string | null {
  if (attempts >= MAX_ATTEMPTS) return null;
  const delay = RETRY_DELAYS_MS[Math.min(attempts, RETRY_DELAYS_MS.length) - 1] ?? RETRY_DELAYS_MS[0]!;
  return new Date(now.getTime() + delay).toISOString();
}

/**
 * Sends delivery `id` if it is due and no other worker holds it. Returns its status afterwards, or undefined when
 * it was not this worker's to send (not due, already sent, or leased by another instance).
 */
export async function attemptDelivery(deps: DeliveryDeps, id: number, signal?: AbortSignal): Promise<WebhookDeliveryStatus | undefined> {
  const started = deps.clock.now();
  if (!(await claimDelivery(deps.db, id, started.toISOString(), new Date(started.getTime() + CLAIM_MS).toISOString()))) return undefined;
  const delivery = await findDeliveryForSending(deps.db, id);
  if (!delivery) return undefined;
  const headers = {
    'x-broadsheet-event': delivery.event,
    'x-broadsheet-delivery': String(delivery.id),
    'x-broadsheet-signature': signBody(delivery.secret, delivery.payload),
    // Unix time of this attempt, in seconds.
    'x-broadsheet-timestamp': String(Math.floor(started.getTime() / 1000)),
  };
  const result = await postWebhook(delivery.url, delivery.payload, headers, { timeoutMs: deps.timeoutMs ?? WEBHOOK_TIMEOUT_MS, allowPrivate: deps.allowPrivate, signal });
  const attempts = delivery.attempts + 1;
  const delivered = result.error === '' && result.statusCode !== null;
  const next = delivered ? null : nextAttemptAt(attempts, deps.clock.now());
  const status: WebhookDeliveryStatus = delivered ? 'delivered' : next ? 'pending' : 'failed';
  await recordAttempt(deps.db, id, { attemptedAt: started.toISOString(), statusCode: result.statusCode, error: result.error.slice(0, 1000), durationMs: result.durationMs, status, nextAttemptAt: next });
  return status;
}
