/**
 * Scheduled publishing: flips scheduled articles whose time has come to published, at start (catching up on
 * anything that fell due while the server was down) and then every interval. The flip is a conditional UPDATE,
 * so with several instances each article is published exactly once. Readers see a scheduled article at its time
 * even between runs: the embargo check in public queries compares publication time, not status. A second, hourly
 * job applies comment data retention (comments/admin/retention.ts).
 */
import type { FastifyBaseLogger } from 'fastify';
import { publishDue } from '../articles/store.ts';
import { startCommentRetention } from '../comments/admin/retention.ts';
import type { DB } from '../db/database.ts';
import { isoNow, type Clock } from '../lib/clock.ts';
import type { SiteEvents } from '../lib/site-events.ts';

/** How often the scheduler looks for due articles, in ms. */
export const SCHEDULER_INTERVAL_MS = 30_000;

/** How long after start the first comment data retention run waits, in ms. */
const RETENTION_FIRST_RUN_DELAY_MS = 60_000;

export interface Scheduler {
  /** Publishes what is due now; returns the ids it published. */
  runOnce(): Promise<number[]>;
  stop(): void;
}

/** `events`, when given, hears article.published for each article this instance flipped (after the update). */
export function startScheduler(deps: { db: DB; clock: Clock; log: FastifyBaseLogger; events?: Pick<SiteEvents, 'emit'> }, intervalMs = SCHEDULER_INTERVAL_MS): Scheduler {
  const runOnce = async () => {
    const published = await publishDue(deps.db, isoNow(deps.clock));
    if (published.length) deps.log.info({ articles: published }, 'scheduled articles published');
    for (const articleId of published) deps.events?.emit({ type: 'article.published', articleId });
    return published;
  };
  const timer = setInterval(() => {
    runOnce().catch((error: unknown) => deps.log.error({ err: error }, 'scheduled publishing failed; will retry'));
  }, intervalMs);
  timer.unref();
  // Second job, hourly: comment data retention (IP hashes, old spam). Its first run waits a minute rather than running
  // at start: on a large site it is a scan of every comment (and up to 500 spam deletions) on the event loop, 0.2-0.4 s
  // before the first page could be served.
  const retention = startCommentRetention(deps);
  const firstRetention = setTimeout(() => {
    retention.runOnce().catch((error: unknown) => deps.log.error({ err: error }, 'comment data retention failed; will retry'));
  }, RETENTION_FIRST_RUN_DELAY_MS);
  firstRetention.unref();
  return {
    runOnce,
    stop: () => {
      clearInterval(timer);
      clearTimeout(firstRetention);
      retention.stop();
    },
  };
}
