/**
 * Webhook administration rules (admins, 'settings.manage'): add, change, disable and delete webhooks with a
 * generated secret; send a test; retry a delivery now. Sending from here goes through the same lease as the
 * worker, so an admin's click never sends a delivery a worker is sending.
 */
import type { DB } from '../../db/database.ts';
import type { WebhookDeliveryStatus } from '../../db/schema.ts';
import { isoNow, type Clock } from '../../lib/clock.ts';
import { NotFound, ValidationError } from '../../lib/errors.ts';
import type { NewsroomUser } from '../../newsroom/accounts.ts';
import { requireCan } from '../../newsroom/roles.ts';
import { attemptDelivery } from './delivery.ts';
import { isWebhookEvent, PING_EVENT, type WebhookEvent } from './events.ts';
import { pingPayload } from './payload.ts';
import { newWebhookSecret } from './signature.ts';
import * as store from './store.ts';
import { webhookUrlProblem } from './target.ts';

export interface WebhookAdminDeps {
  db: DB;
  clock: Clock;
  /** WEBHOOKS_ALLOW_PRIVATE */
  allowPrivate: boolean;
  /** Deadline of a test or manual retry, in ms (default: the worker's). */
  timeoutMs?: number;
}

/** The webhook form as typed. */
export interface WebhookForm {
  url: string;
  /** Event names ticked (untrusted). */
  events: string[];
  active: boolean;
  /** Replace the secret with a new one (receivers must be given it). */
  newSecret?: boolean;
}

function validated(deps: WebhookAdminDeps, form: WebhookForm): { url: string; events: WebhookEvent[] } {
  const fields: Record<string, string> = {};
  const url = form.url.trim();
  const problem = webhookUrlProblem(url, deps.allowPrivate);
  if (problem) fields.url = problem;
  const events = [...new Set(form.events.filter(isWebhookEvent))];
  if (!events.length) fields.events = 'Choose at least one event.';
  if (Object.keys(fields).length) throw new ValidationError(fields);
  return { url, events };
}

/** Adds a webhook with a new secret; returns its id. Throws Forbidden, ValidationError (url, events). */
export async function createWebhook(deps: WebhookAdminDeps, actor: NewsroomUser, form: WebhookForm): Promise<number> {
  requireCan(actor, 'settings.manage');
  const { url, events } = validated(deps, form);
  const now = isoNow(deps.clock);
  return store.insertWebhook(deps.db, { url, secret: newWebhookSecret(), events: JSON.stringify(events), active: form.active ? 1 : 0, created_at: now, updated_at: now });
}

/** Changes a webhook's URL, events and state (and secret on request). Throws Forbidden, NotFound, ValidationError. */
export async function changeWebhook(deps: WebhookAdminDeps, actor: NewsroomUser, id: number, form: WebhookForm): Promise<void> {
  requireCan(actor, 'settings.manage');
  const { url, events } = validated(deps, form);
  const changes = { url, events: JSON.stringify(events), active: form.active ? 1 : 0, updated_at: isoNow(deps.clock), ...(form.newSecret ? { secret: newWebhookSecret() } : {}) };
  if (!(await store.updateWebhook(deps.db, id, changes))) throw new NotFound('No such webhook');
}

/** Deletes a webhook with its delivery log. Throws Forbidden, NotFound. */
export async function removeWebhook(deps: WebhookAdminDeps, actor: NewsroomUser, id: number): Promise<void> {
  requireCan(actor, 'settings.manage');
  if (!(await store.deleteWebhook(deps.db, id))) throw new NotFound('No such webhook');
}

/**
 * Queues a "ping" delivery to the webhook (whatever it subscribes to, even when disabled) and sends it at once.
 * Returns the delivery and its status after the attempt. Throws Forbidden, NotFound.
 */
export async function sendTest(deps: WebhookAdminDeps, actor: NewsroomUser, id: number): Promise<{ deliveryId: number; status: WebhookDeliveryStatus | undefined }> {
  requireCan(actor, 'settings.manage');
  const webhook = await store.findWebhook(deps.db, id);
  if (!webhook) throw new NotFound('No such webhook');
  const now = isoNow(deps.clock);
  const deliveryId = await store.insertDelivery(deps.db, {
    webhook_id: id,
    event: PING_EVENT,
    payload: JSON.stringify(pingPayload(deps.clock, webhook)),
    status: 'pending',
    next_attempt_at: now,
    claimed_until: null,
    last_status_code: null,
    created_at: now,
    delivered_at: null,
  });
  return { deliveryId, status: await attemptDelivery(deps, deliveryId) };
}

/**
 * Sends a delivery again now, whatever its status (a failed one gets one more attempt; a delivered one is sent
 * again). Returns its status afterwards, or undefined when a worker is sending it at this moment. Throws
 * Forbidden, NotFound.
 */
export async function retryNow(deps: WebhookAdminDeps, actor: NewsroomUser, deliveryId: number): Promise<WebhookDeliveryStatus | undefined> {
  requireCan(actor, 'settings.manage');
  if (!(await store.findDelivery(deps.db, deliveryId))) throw new NotFound('No such delivery');
  if (!(await store.makeDueNow(deps.db, deliveryId, isoNow(deps.clock)))) return undefined;
  return attemptDelivery(deps, deliveryId);
}
