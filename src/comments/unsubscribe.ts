/**
 * One-click unsubscribe from reply mails, without signing in: the link carries a comment id and an HMAC of that id
 * with the comment's email address, keyed with the site secret — the whole authorisation (so the POST needs no
 * CSRF token, RFC 8058). Binding the address means a link stops working if its id ever names another person's
 * comment (SQLite may reuse the id of a deleted newest row).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { DB } from '../db/database.ts';
import { parseId } from '../lib/form-input.ts';
import { findCommentEmail, stopReplyMails } from './notifications-store.ts';

/** HMAC-SHA256(secret, `unsubscribe:<commentId>:<email lowercased>`) in hex. */
export function unsubscribeToken(secret: string, commentId: number, email: string): string {
  return createHmac('sha256', secret).update(`unsubscribe:${commentId}:${email.toLowerCase()}`).digest('hex');
}

/** The absolute unsubscribe address for replies to `commentId`, written with `email` (also the List-Unsubscribe target). */
export function unsubscribeUrl(siteUrl: string, secret: string, commentId: number, email: string): string {
  return `${siteUrl}/comments/unsubscribe?c=${commentId}&t=${unsubscribeToken(secret, commentId, email)}`;
}

/** The linked comment's id and email when the link is genuine (token compared in constant time), else undefined. */
async function verifiedLink(deps: { db: DB; secret: string }, rawId: string, token: string): Promise<{ id: number; email: string } | undefined> {
  const id = parseId(rawId);
  if (id === undefined || !/^[0-9a-f]{64}$/i.test(token)) return undefined;
  const email = await findCommentEmail(deps.db, id);
  if (!email) return undefined;
  const expected = Buffer.from(unsubscribeToken(deps.secret, id, email), 'hex');
  return timingSafeEqual(expected, Buffer.from(token, 'hex')) ? { id, email } : undefined;
}

/** True when the link is genuine and its comment still exists. */
export async function unsubscribeLinkValid(deps: { db: DB; secret: string }, rawId: string, token: string): Promise<boolean> {
  return (await verifiedLink(deps, rawId, token)) !== undefined;
}

/**
 * Turns reply mails off for every comment written with the linked comment's email address. Returns false (and
 * changes nothing) when the link is not genuine or the comment no longer exists. Repeating it is harmless.
 */
export async function unsubscribeFromReplies(deps: { db: DB; secret: string }, rawId: string, token: string): Promise<boolean> {
  const link = await verifiedLink(deps, rawId, token);
  if (!link) return false;
  await stopReplyMails(deps.db, link.id, link.email);
  return true;
}
