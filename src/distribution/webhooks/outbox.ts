/**
 * The webhook outbox: a site-event listener that stores one pending delivery per active webhook subscribed to the
 * event. Rows in the database, not messages in memory, are what the worker sends, so a restart loses nothing
 * that was queued, and any instance may send it.
 */
import type { SiteEventListener } from '../../lib/site-events.ts';
import { isoNow } from '../../lib/clock.ts';
import { isWebhookEvent, parseEventList, type WebhookSiteEvent } from './events.ts';
import { payloadFor, type PayloadDeps } from './payload.ts';
import { insertDelivery, listActiveWebhooks, type WebhookRow } from './store.ts';

/**
 * A listener for ctx.events; `queued` is told after deliveries were stored (to send them without waiting). The
 * events of one turn of the event loop (a busy site approves comments by the hundred a second) share one read of
 * the active webhooks, made after they were all emitted.
 */
export function webhookOutbox(deps: PayloadDeps & { queued: () => void }): SiteEventListener {
  let nextRead: Promise<WebhookRow[]> | undefined;
  const activeWebhooks = (): Promise<WebhookRow[]> =>
    (nextRead ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      nextRead = undefined;
      return listActiveWebhooks(deps.db);
    }));
  return async (event) => {
    if (!isWebhookEvent(event.type)) return;
    const carried = event as WebhookSiteEvent;
    const subscribed = (await activeWebhooks()).filter((hook) => parseEventList(hook.events).includes(carried.type));
    if (!subscribed.length) return;
    const payload = await payloadFor(deps, carried);
    if (!payload) return;
    const body = JSON.stringify(payload);
    const now = isoNow(deps.clock);
    await deps.db.transaction().execute(async (tx) => {
      for (const hook of subscribed) {
        await insertDelivery(tx, { webhook_id: hook.id, event: event.type, payload: body, status: 'pending', next_attempt_at: now, claimed_until: null, last_status_code: null, created_at: now, delivered_at: null });
      }
    });
    deps.queued();
  };
}
