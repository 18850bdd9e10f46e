/**
 * One-click unsubscribe from reply mails, without signing in: the link carries a comment id and an HMAC of it
 * keyed with the site secret, which is the whole authorisation (so the POST needs no CSRF token, RFC 8058).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { DB } from '../db/database.ts';
import { parseId } from '../lib/form-input.ts';
import { findCommentEmail, stopReplyMails } from './notifications-store.ts';

/** HMAC-SHA256(secret, `unsubscribe:<commentId>`) in hex. */
export function unsubscribeToken(secret: string, commentId: number): string {
  return createHmac('sha256', secret).update(`unsubscribe:${commentId}`).digest('hex');
}

/** The absolute unsubscribe address for replies to `commentId` (also the List-Unsubscribe target). */
export function unsubscribeUrl(siteUrl: string, secret: string, commentId: number): string {
  return `${siteUrl}/comments/unsubscribe?c=${commentId}&t=${unsubscribeToken(secret, commentId)}`;
}

/** The comment id of an unsubscribe link when its token is right (compared in constant time), else undefined. */
export function verifiedCommentId(secret: string, rawId: string, token: string): number | undefined {
  const id = parseId(rawId);
  if (id === undefined || !/^[0-9a-f]{64}$/i.test(token)) return undefined;
  const expected = Buffer.from(unsubscribeToken(secret, id), 'hex');
  return timingSafeEqual(expected, Buffer.from(token, 'hex')) ? id : undefined;
}

/** True when the link is genuine and its comment still exists. */
export async function unsubscribeLinkValid(deps: { db: DB; secret: string }, rawId: string, token: string): Promise<boolean> {
  const id = verifiedCommentId(deps.secret, rawId, token);
  return id !== undefined && (await findCommentEmail(deps.db, id)) !== undefined;
}

/**
 * Turns reply mails off for every comment written with the linked comment's email address. Returns false (and
 * changes nothing) when the link is not genuine or the comment no longer exists. Repeating it is harmless.
 */
export async function unsubscribeFromReplies(deps: { db: DB; secret: string }, rawId: string, token: string): Promise<boolean> {
  const id = verifiedCommentId(deps.secret, rawId, token);
  if (id === undefined) return false;
  const email = await findCommentEmail(deps.db, id);
  if (email === undefined) return false;
  await stopReplyMails(deps.db, id, email);
  return true;
}
