/** The dependencies every handler receives from app.ts: database, clock, config, secret, and the site view. */
import type { Config } from '../config.ts';
import type { DB } from '../db/database.ts';
import type { DialectName } from '../db/dialect.ts';
import type { Clock } from '../lib/clock.ts';
import type { Mailer } from '../lib/mailer.ts';
import type { MediaStorage } from '../media/storage.ts';
import type { CommentNotifier } from '../comments/moderation.ts';
import type { CommentRateLimiter } from '../comments/defences/rate-limit.ts';
import type { SpamChecker } from '../comments/defences/spam-check.ts';
import type { SiteEvents } from '../lib/site-events.ts';
import { listSections } from '../articles/taxonomy-store.ts';
import type { SiteView } from './site.ts';

export interface AppContext {
  db: DB;
  /**
   * For read-only queries of anonymous reader pages (feeds, sitemaps, search, API reads, listings): a PostgreSQL
   * read replica when DATABASE_READ_URL is set, else the same as `db`. It may lag behind `db` by a moment, so never
   * read back through it what the same request or the one before it wrote.
   */
  readDb: DB;
  dialect: DialectName;
  clock: Clock;
  config: Config;
  /** Site secret (hex) for cookie signatures and IP hashes. */
  secret: string;
  /** Stylesheet path with content-hash query. */
  stylesheet: string;
  /** Newsroom stylesheet (loaded after `stylesheet`), with content-hash query. */
  adminStylesheet: string;
  mailer: Mailer;
  storage: MediaStorage;
  /** Emails about comment status changes (comments/notifications.ts). */
  notifier: CommentNotifier;
  /** Comments per hour per IP and email: in memory, or shared through Redis when REDIS_URL is set. */
  rateLimiter: CommentRateLimiter;
  /** Third-party spam check (Akismet), only when an API key is configured. */
  spamChecker?: SpamChecker;
  /** Published-content events (article published/updated/unpublished, comment approved), after commit. */
  events: SiteEvents;
}

/** The SiteView for one request (navigation sections read from the database). */
export async function siteView(ctx: AppContext): Promise<SiteView> {
  return siteViewWith(ctx, await listSections(ctx.db));
}

/** The SiteView for one request whose navigation `sections` (in order) were read with its other data. */
export function siteViewWith(ctx: AppContext, sections: readonly { slug: string; name: string }[]): SiteView {
  return {
    name: ctx.config.siteName,
    url: ctx.config.siteUrl,
    language: ctx.config.siteLanguage,
    timeZone: ctx.config.siteTimeZone,
    now: ctx.clock.now().toISOString(),
    sections: sections.map((s) => ({ slug: s.slug, name: s.name })),
    stylesheet: ctx.stylesheet,
  };
}
