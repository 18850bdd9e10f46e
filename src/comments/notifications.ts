/**
 * Comment notification emails (plain text, notification-mail.ts): moderators about held comments (at once or in an
 * hourly digest), byline authors about new approved comments, commenters about approved replies they asked to hear
 * of. Every mail is claimed in comment_notifications first, so each recipient hears of a comment once per kind,
 * however often it is approved and however many instances run.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { DB } from '../db/database.ts';
import { isoNow, type Clock } from '../lib/clock.ts';
import type { Mailer, MailMessage } from '../lib/mailer.ts';
import { findSetting } from '../settings/store.ts';
import type { CommentNotifier } from './moderation.ts';
import { authorMail, digestMail, heldMail, replyMail, type MailComment, type SiteRef } from './notification-mail.ts';
import * as store from './notifications-store.ts';
import type { MailCommentRow, NotificationKind } from './notifications-store.ts';
import { loadCommentSettings } from './settings.ts';
import { unsubscribeUrl } from './unsubscribe.ts';

export interface NotificationDeps {
  db: DB;
  clock: Clock;
  mailer: Mailer;
  log: FastifyBaseLogger;
  /** Site secret, for unsubscribe tokens. */
  secret: string;
  siteName: string;
  /** Absolute origin for links back to the site. */
  siteUrl: string;
}

/** The app's notifier: a CommentNotifier whose sends can be awaited (shutdown, tests). */
export interface AppCommentNotifier extends CommentNotifier {
  /** Resolves once every send started so far has finished (or failed and been logged). */
  idle(): Promise<void>;
}

const HOUR_MS = 3_600_000;
/** Least time between two moderation digests, in ms (the spec's "hourly digest"). */
export const DIGEST_INTERVAL_MS = HOUR_MS;
/** How often the digest timer checks whether a digest is due, in ms. */
export const DIGEST_CHECK_INTERVAL_MS = 5 * 60_000;
/** Settings key holding the time (ISO-8601 UTC) of the last digest. */
export const DIGEST_SENT_KEY = 'comment_digest_sent_at';
/**
 * Each digest looks back to a little before the previous one, so a comment committed while that digest was being
 * gathered is not missed; comment_notifications keeps the overlap from being mailed twice. In ms.
 */
const DIGEST_OVERLAP_MS = 10 * 60_000;
/** How far back the very first digest looks, in ms. */
const FIRST_DIGEST_WINDOW_MS = 24 * HOUR_MS;

function siteOf(deps: NotificationDeps): SiteRef {
  return { siteName: deps.siteName, siteUrl: deps.siteUrl };
}

function mailComment(row: MailCommentRow): MailComment & { reason: string } {
  return { id: row.id, name: row.author_name, website: row.author_url, text: row.body, headline: row.headline, reason: row.moderation_reason };
}

function sameAddress(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * Sends `message` unless this comment/recipient/kind was claimed before. A failed send gives the claim back (so a
 * later approval can try again) and is logged; it never throws.
 */
async function sendOnce(deps: NotificationDeps, commentId: number, kind: NotificationKind, message: MailMessage): Promise<boolean> {
  const recipient = message.to.toLowerCase();
  if (!(await store.claimNotification(deps.db, { commentId, recipient, kind, now: isoNow(deps.clock) }))) return false;
  try {
    await deps.mailer.send(message);
    return true;
  } catch (error) {
    deps.log.error({ err: error, comment: commentId, kind }, 'comment notification could not be sent');
    await store.releaseNotifications(deps.db, [commentId], recipient, kind);
    return false;
  }
}

/** Immediate moderator mails about comments that were held (nothing in digest or off mode). */
async function notifyHeld(deps: NotificationDeps, ids: readonly number[]): Promise<void> {
  const settings = await loadCommentSettings(deps.db);
  if (settings.moderatorNotify !== 'immediate') return;
  // Still held when we get to it: a moderator may have acted already.
  const held = (await store.findMailComments(deps.db, ids)).filter((c) => c.status === 'pending' && c.erased_at === null);
  if (!held.length) return;
  const moderators = await store.listModerators(deps.db);
  for (const comment of held) {
    for (const moderator of moderators) {
      if (sameAddress(moderator.email, comment.author_email)) continue;
      await sendOnce(deps, comment.id, 'held', heldMail(siteOf(deps), moderator.email, mailComment(comment)));
    }
  }
}

/**
 * Mails about newly approved comments: (a) to the parent comment's writer, when they ticked "notify me of
 * replies", their comment is still approved and not erased, and the reply is not their own; (b) to each enabled
 * user whose byline profile is an author of the article, unless they wrote the comment (or already get (a)).
 */
async function notifyApproved(deps: NotificationDeps, ids: readonly number[]): Promise<void> {
  const comments = (await store.findMailComments(deps.db, ids)).filter((c) => c.status === 'approved' && c.erased_at === null);
  if (!comments.length) return;
  const settings = await loadCommentSettings(deps.db);
  const parentIds = [...new Set(comments.map((c) => c.parent_id).filter((id): id is number => id !== null))];
  const parents = new Map((await store.findMailComments(deps.db, parentIds)).map((p) => [p.id, p]));
  // Comments of one batch are often on one article.
  const bylineUsers = new Map<number, { email: string }[]>();
  for (const comment of comments) {
    const parent = comment.parent_id === null ? undefined : parents.get(comment.parent_id);
    const subscriber =
      parent && parent.notify_replies === 1 && parent.status === 'approved' && parent.erased_at === null && parent.author_email && !sameAddress(parent.author_email, comment.author_email)
        ? parent
        : undefined;
    if (subscriber) {
      const link = unsubscribeUrl(deps.siteUrl, deps.secret, subscriber.id, subscriber.author_email);
      await sendOnce(deps, comment.id, 'reply', replyMail(siteOf(deps), subscriber.author_email, mailComment(comment), { name: subscriber.author_name }, link));
    }
    if (!settings.notifyAuthors) continue;
    let authors = bylineUsers.get(comment.article_id);
    if (!authors) bylineUsers.set(comment.article_id, (authors = await store.listBylineUsers(deps.db, comment.article_id)));
    for (const author of authors) {
      if (sameAddress(author.email, comment.author_email) || (subscriber && sameAddress(author.email, subscriber.author_email))) continue;
      await sendOnce(deps, comment.id, 'author', authorMail(siteOf(deps), author.email, mailComment(comment)));
    }
  }
}

/**
 * How long the notifier gathers comments before handling them together, in ms: a busy site then reads the
 * comments, the settings and the recipients once per batch rather than three times per comment (each a round trip
 * to PostgreSQL); a mail goes out this much later.
 */
export const NOTIFY_BATCH_MS = 50;

/**
 * The app's CommentNotifier: sends after the triggering transaction committed; failures are logged, never thrown.
 * Comments told of within NOTIFY_BATCH_MS of each other are handled together.
 */
export function createCommentNotifier(deps: NotificationDeps): AppCommentNotifier {
  const pending = new Set<Promise<void>>();
  const batch = { held: new Set<number>(), approved: new Set<number>() };
  let scheduled = false;
  const run = async (what: string, ids: Set<number>, work: (ids: readonly number[]) => Promise<void>) => {
    if (!ids.size) return;
    const copy = [...ids];
    await work(copy).catch((error: unknown) => deps.log.error({ err: error, comments: copy }, `${what} notifications failed`));
  };
  const flush = async () => {
    const held = new Set(batch.held);
    const approved = new Set(batch.approved);
    batch.held.clear();
    batch.approved.clear();
    scheduled = false;
    await Promise.all([run('held comment', held, (ids) => notifyHeld(deps, ids)), run('approved comment', approved, (ids) => notifyApproved(deps, ids))]);
  };
  const add = (into: Set<number>, ids: readonly number[]) => {
    if (!ids.length) return;
    for (const id of ids) into.add(id);
    if (scheduled) return;
    scheduled = true;
    const task: Promise<void> = new Promise<void>((resolve) => setTimeout(resolve, NOTIFY_BATCH_MS)).then(flush).finally(() => pending.delete(task));
    pending.add(task);
  };
  return {
    held: (commentIds) => add(batch.held, commentIds),
    approved: (commentIds) => add(batch.approved, commentIds),
    async idle() {
      while (pending.size) await Promise.allSettled([...pending]);
    },
  };
}

/**
 * The hourly moderation digest (moderatorNotify 'digest'): when the last one is at least DIGEST_INTERVAL_MS old
 * and comments are held, one mail per moderator listing the held comments they were not told about yet. The
 * digest time is moved by compare-and-set, so with several instances only one sends. Returns the mails sent.
 */
export async function sendModerationDigest(deps: NotificationDeps): Promise<number> {
  const settings = await loadCommentSettings(deps.db);
  if (settings.moderatorNotify !== 'digest') return 0;
  const now = deps.clock.now();
  const last = await findSetting(deps.db, DIGEST_SENT_KEY);
  const lastMs = last === undefined ? NaN : Date.parse(last);
  if (!Number.isNaN(lastMs) && now.getTime() - lastMs < DIGEST_INTERVAL_MS) return 0;
  const since = new Date(Number.isNaN(lastMs) ? now.getTime() - FIRST_DIGEST_WINDOW_MS : lastMs - DIGEST_OVERLAP_MS).toISOString();
  const held = await store.listHeldSince(deps.db, since);
  if (!held.length) return 0;
  if (!(await store.compareAndSetSetting(deps.db, DIGEST_SENT_KEY, last, now.toISOString()))) return 0;
  let sent = 0;
  for (const moderator of await store.listModerators(deps.db)) {
    const fresh: MailCommentRow[] = [];
    for (const comment of held) {
      if (sameAddress(moderator.email, comment.author_email)) continue;
      if (await store.claimNotification(deps.db, { commentId: comment.id, recipient: moderator.email, kind: 'held', now: now.toISOString() })) fresh.push(comment);
    }
    if (!fresh.length) continue;
    try {
      await deps.mailer.send(digestMail(siteOf(deps), moderator.email, fresh.map(mailComment)));
      sent += 1;
    } catch (error) {
      deps.log.error({ err: error }, 'moderation digest could not be sent');
      await store.releaseNotifications(deps.db, fresh.map((c) => c.id), moderator.email, 'held');
    }
  }
  return sent;
}

/** Checks for a due moderation digest every `intervalMs` (timer unref'd, so it never keeps the process alive). */
export function startModerationDigest(deps: NotificationDeps, intervalMs = DIGEST_CHECK_INTERVAL_MS): { stop(): void } {
  const timer = setInterval(() => {
    sendModerationDigest(deps).catch((error: unknown) => deps.log.error({ err: error }, 'moderation digest failed; will retry'));
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
