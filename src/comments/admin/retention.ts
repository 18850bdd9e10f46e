/**
 * Data retention for comments: after settings.ipRetentionDays the IP hash, network hash and user agent are blanked,
 * and spam older than SPAM_RETENTION_DAYS is deleted. Runs hourly from app.ts; every step is an idempotent
 * conditional statement, so several instances running it at once do no harm.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { DB } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import { deleteCommentsPermanently } from '../moderation.ts';
import { loadCommentSettings, type CommentSettings } from '../settings.ts';

/** Spam is kept this many days (for a moderator to rescue a false positive), then deleted. */
export const SPAM_RETENTION_DAYS = 30;

/** How often the retention job runs, in ms. */
export const RETENTION_INTERVAL_MS = 60 * 60 * 1000;

/** Spam comments deleted per run at most, so one run stays short; the next run takes the rest. */
const SPAM_BATCH = 500;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Blanks ip_hash, network_hash and user_agent of comments created more than `settings.ipRetentionDays` days before
 * `now`, and deletes spam created more than SPAM_RETENTION_DAYS days before it (replies move up a level, counts
 * are kept). Returns how many comments were blanked and deleted.
 */
export async function purgeExpiredCommentData(db: DB, now: Date, settings: Pick<CommentSettings, 'ipRetentionDays'>): Promise<{ blanked: number; spamDeleted: number }> {
  const ipCutoff = new Date(now.getTime() - settings.ipRetentionDays * DAY_MS).toISOString();
  const blanked = await db
    .updateTable('comments')
    .set({ ip_hash: '', network_hash: '', user_agent: '' })
    .where('created_at', '<', ipCutoff)
    .where((eb) => eb.or([eb('ip_hash', '!=', ''), eb('network_hash', '!=', ''), eb('user_agent', '!=', '')]))
    .executeTakeFirst();
  const spamCutoff = new Date(now.getTime() - SPAM_RETENTION_DAYS * DAY_MS).toISOString();
  const spam = await db.selectFrom('comments').select('id').where('status', '=', 'spam').where('created_at', '<', spamCutoff).orderBy('id').limit(SPAM_BATCH).execute();
  const spamDeleted = await deleteCommentsPermanently({ db }, spam.map((r) => r.id));
  return { blanked: Number(blanked.numUpdatedRows), spamDeleted };
}

export interface RetentionJob {
  runOnce(): Promise<{ blanked: number; spamDeleted: number }>;
  stop(): void;
}

/** Runs purgeExpiredCommentData with the current settings every `intervalMs` (errors are logged, the next run retries). */
export function startCommentRetention(deps: { db: DB; clock: Clock; log: FastifyBaseLogger }, intervalMs = RETENTION_INTERVAL_MS): RetentionJob {
  const runOnce = async () => {
    const result = await purgeExpiredCommentData(deps.db, deps.clock.now(), await loadCommentSettings(deps.db));
    if (result.blanked || result.spamDeleted) deps.log.info(result, 'comment data retention applied');
    return result;
  };
  const timer = setInterval(() => {
    runOnce().catch((error: unknown) => deps.log.error({ err: error }, 'comment data retention failed; will retry'));
  }, intervalMs);
  timer.unref();
  return { runOnce, stop: () => clearInterval(timer) };
}
