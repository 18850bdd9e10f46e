/**
 * The reader's comment cookies. `bs_comments` (signed): the comments this browser posted, each as its id and the
 * millisecond it was posted (an id alone could come to name someone else's comment: SQLite may hand a deleted
 * newest row's id out again), which lets the
 * reader see their own held comments ("awaiting moderation") and edit or delete within the edit window.
 * `bs_comment_author`: name, email and website, only when the reader ticked "Save my name, email and website in
 * this browser". Both are HttpOnly; a response built with either is personal and never shared-cacheable.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DB } from '../db/database.ts';
import { parseId } from '../lib/form-input.ts';
import type { CookieSecure } from '../web/security-headers.ts';

export const OWN_COMMENTS_COOKIE = 'bs_comments';
export const AUTHOR_COOKIE = 'bs_comment_author';
/** The newest comment ids kept in the cookie. */
const MAX_OWN_IDS = 20;
const OWN_MAX_AGE_S = 30 * 24 * 3600;
const AUTHOR_MAX_AGE_S = 365 * 24 * 3600;

export interface RememberedAuthor {
  author: string;
  email: string;
  url: string;
}

function cookieOptions(secure: CookieSecure, maxAge: number) {
  return { httpOnly: true, sameSite: 'lax' as const, secure, path: '/', maxAge };
}

/** The (id, posted-at ms) pairs in the signed cookie; [] when absent or tampered with. */
function readOwnEntries(request: FastifyRequest): { id: number; postedMs: number }[] {
  const raw = request.cookies[OWN_COMMENTS_COOKIE];
  if (!raw) return [];
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return [];
  return unsigned.value
    .split('.')
    .slice(0, MAX_OWN_IDS)
    .map((entry) => {
      const [id, ms] = entry.split('-');
      return { id: parseId(id ?? ''), postedMs: Number(ms) };
    })
    .filter((e): e is { id: number; postedMs: number } => e.id !== undefined && Number.isSafeInteger(e.postedMs));
}

/**
 * Ids of the comments this browser posted: those in the signed cookie whose id still names the comment posted at
 * the recorded time (one query; none when there is no cookie).
 */
export async function ownCommentIds(db: DB, request: FastifyRequest): Promise<number[]> {
  const entries = readOwnEntries(request);
  if (!entries.length) return [];
  const rows = await db.selectFrom('comments').select(['id', 'created_at']).where('id', 'in', entries.map((e) => e.id)).execute();
  const postedAt = new Map(rows.map((row) => [row.id, Date.parse(row.created_at)]));
  return entries.filter((e) => postedAt.get(e.id) === e.postedMs).map((e) => e.id);
}

/** Adds the comment `id`, posted at `createdAt` (ISO-8601), to the signed own-comments cookie. */
export function rememberOwnComment(request: FastifyRequest, reply: FastifyReply, comment: { id: number; createdAt: string }, secure: CookieSecure): void {
  const entries = [{ id: comment.id, postedMs: Date.parse(comment.createdAt) }, ...readOwnEntries(request).filter((e) => e.id !== comment.id)].slice(0, MAX_OWN_IDS);
  reply.setCookie(OWN_COMMENTS_COOKIE, entries.map((e) => `${e.id}-${e.postedMs}`).join('.'), { ...cookieOptions(secure, OWN_MAX_AGE_S), signed: true });
}

/** The saved name, email and website, if the reader asked this browser to remember them. */
export function readRememberedAuthor(request: FastifyRequest): RememberedAuthor | undefined {
  const raw = request.cookies[AUTHOR_COOKIE];
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as Partial<RememberedAuthor>;
    const text = (value: unknown) => (typeof value === 'string' ? value.slice(0, 300) : '');
    return { author: text(parsed.author), email: text(parsed.email), url: text(parsed.url) };
  } catch {
    return undefined;
  }
}

/** Saves the author fields when the reader ticked the box, and forgets them when they did not. */
export function updateRememberedAuthor(reply: FastifyReply, remember: boolean, author: RememberedAuthor, secure: CookieSecure): void {
  if (remember) reply.setCookie(AUTHOR_COOKIE, JSON.stringify(author), cookieOptions(secure, AUTHOR_MAX_AGE_S));
  else reply.clearCookie(AUTHOR_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}

/** True when the request carries a comment cookie, so the response is this reader's alone. */
export function hasCommenterCookies(request: FastifyRequest): boolean {
  return !!(request.cookies[OWN_COMMENTS_COOKIE] || request.cookies[AUTHOR_COOKIE]);
}
