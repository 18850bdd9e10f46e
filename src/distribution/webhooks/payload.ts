/**
 * The JSON body of a webhook delivery, built once when the event happens and sent unchanged on every attempt:
 * `{id, event, created_at, article | comment}`. Only what readers can see goes out — never a commenter's email
 * address or IP hash.
 */
import { randomUUID } from 'node:crypto';
import type { DB } from '../../db/database.ts';
import type { ArticleStatus } from '../../db/schema.ts';
import { isoNow, type Clock } from '../../lib/clock.ts';
import type { WebhookSiteEvent } from './events.ts';
import { commentPaths } from '../../comments/paths.ts';
import { paths } from '../../web/site.ts';
import { findArticleForPayload, findCommentForPayload } from './store.ts';

export interface ArticlePayload {
  id: number;
  slug: string;
  /** Absolute public address. */
  url: string;
  headline: string;
  dek: string;
  published_at: string | null;
  updated_at: string;
  status: ArticleStatus;
}

export interface CommentPayload {
  id: number;
  article_id: number;
  /** Absolute permalink (`/comments/ID`), which finds the comment on whatever page it is. */
  url: string;
  author_name: string;
  created_at: string;
}

export interface WebhookPayload {
  /** Unique per event (UUID), the same for every webhook told about it: receivers may ignore repeats. */
  id: string;
  event: string;
  /** When the event happened, ISO-8601 UTC. */
  created_at: string;
  article?: ArticlePayload;
  comment?: CommentPayload;
}

export interface PayloadDeps {
  db: DB;
  clock: Clock;
  /** Public origin (SITE_URL) for absolute links. */
  siteUrl: string;
}

/** The payload for `event`, or undefined when its article or comment no longer exists. */
export async function payloadFor(deps: PayloadDeps, event: WebhookSiteEvent): Promise<WebhookPayload | undefined> {
  const base = { id: randomUUID(), event: event.type, created_at: isoNow(deps.clock) };
  if (event.type === 'comment.approved') {
    const comment = await findCommentForPayload(deps.db, event.commentId);
    if (!comment || comment.erased_at !== null) return undefined;
    return { ...base, comment: { id: comment.id, article_id: comment.article_id, url: deps.siteUrl + commentPaths.permalink(comment.id), author_name: comment.author_name, created_at: comment.created_at } };
  }
  const article = await findArticleForPayload(deps.db, event.articleId);
  if (!article) return undefined;
  return { ...base, article: { ...article, url: deps.siteUrl + paths.article(article.slug) } };
}

/** The body of a "Send test" delivery. */
export function pingPayload(clock: Clock, webhook: { id: number; url: string }): WebhookPayload & { webhook: { id: number; url: string } } {
  return { id: randomUUID(), event: 'ping', created_at: isoNow(clock), webhook: { id: webhook.id, url: webhook.url } };
}
