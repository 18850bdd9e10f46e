/** The site events a webhook may subscribe to, with the labels the newsroom shows for them. */
import type { SiteEvent } from '../../lib/site-events.ts';

/** The site events webhooks carry (not the cache-only ones: comment.changed, site.changed). */
export type WebhookEvent = Extract<SiteEvent['type'], 'article.published' | 'article.updated' | 'article.unpublished' | 'comment.approved'>;

/** A site event a webhook can carry. */
export type WebhookSiteEvent = Extract<SiteEvent, { type: WebhookEvent }>;

/** Every event a webhook can subscribe to, in the order the admin lists them. */
export const WEBHOOK_EVENTS: readonly WebhookEvent[] = ['article.published', 'article.updated', 'article.unpublished', 'comment.approved'];

export const WEBHOOK_EVENT_LABELS: Record<WebhookEvent, string> = {
  'article.published': 'Article published (now, or a scheduled article going live)',
  'article.updated': 'Published article updated (edit, correction, featured image)',
  'article.unpublished': 'Article unpublished (or moved back to scheduled)',
  'comment.approved': 'Comment approved (on posting or by a moderator)',
};

/** The test event sent by "Send test" whatever the webhook subscribes to. */
export const PING_EVENT = 'ping';

/** True for a subscribable event name (untrusted input). */
export function isWebhookEvent(value: string): value is WebhookEvent {
  return (WEBHOOK_EVENTS as readonly string[]).includes(value);
}

/** The subscribed events stored as JSON text; unknown names (from a later version) are dropped. */
export function parseEventList(json: string): WebhookEvent[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is WebhookEvent => typeof v === 'string' && isWebhookEvent(v)) : [];
  } catch {
    return [];
  }
}
