/**
 * Wires caching into the app: the page cache (PAGE_CACHE_MB), the HTTP caching hooks (SHARED_CACHE_SECONDS), the
 * purge hook (PURGE_URL) and the invalidation bus (Redis pub/sub when REDIS_URL is set), listening to the site
 * events (an article published, updated or unpublished, its comments changed, or a site-wide change) and the
 * clock and other writers (changeWatch lifting, imports: caching/change-watch.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import type { DB } from '../db/database.ts';
import type { Clock } from '../lib/clock.ts';
import { watchUnannouncedChanges } from './change-watch.ts';
import type { SiteEvent, SiteEvents } from '../lib/site-events.ts';
import { articlePurge, commentsPurge, SITE_PURGE } from './content-purges.ts';
import type { HitAnswerer } from './cache-hits.ts';
import { registerHttpCaching, type CacheResults } from './http-caching.ts';
import { hstsPerRequest } from '../web/security-headers.ts';
import { createInvalidationBus, type InvalidationBus } from './invalidation.ts';
import { createPageCache, type PageCache } from './page-cache.ts';
import { createPurgeHook, type Purge } from './purge-hook.ts';
import { cacheKeys } from './surrogate-keys.ts';

export interface Caching {
  /** Undefined when PAGE_CACHE_MB is 0. */
  pageCache?: PageCache;
  bus: InvalidationBus;
  /** Answers page-cache hits for the HTTP server, before Fastify (caching/cache-hits.ts). */
  answerHits: HitAnswerer;
  /** Reader responses by what the page cache did, and what it holds (for /metrics). */
  report(): CachingReport;
}

export interface CachingReport extends CacheResults {
  entries: number;
  bytes: number;
}

/**
 * What `event` makes stale. `withPaths` false (no purge hook to tell): a comment change needs no query, its keys
 * being known (comments are posted far more often than articles change).
 */
async function purgeOf(db: DB, event: Exclude<SiteEvent, { type: 'article.scheduled' }>, withPaths: boolean): Promise<Purge> {
  switch (event.type) {
    case 'article.published':
    case 'article.updated':
    case 'article.unpublished':
      return articlePurge(db, event.articleId);
    case 'comment.approved':
    case 'comment.changed':
      return withPaths ? commentsPurge(db, event.articleId) : { keys: immediateKeys(event), paths: [] };
    case 'site.changed':
      return SITE_PURGE;
  }
}

/** The keys `event` makes stale that are known without reading the database. */
function immediateKeys(event: Exclude<SiteEvent, { type: 'article.scheduled' }>): string[] {
  if (event.type === 'site.changed') return [cacheKeys.site];
  if (event.type === 'comment.approved' || event.type === 'comment.changed') return [cacheKeys.article(event.articleId)];
  return [cacheKeys.article(event.articleId), cacheKeys.front, cacheKeys.feeds, cacheKeys.sitemap, cacheKeys.search];
}

/**
 * Sets caching up on `app` (call after @fastify/cookie and helmet, before the routes). `redisPrefix` namespaces
 * the invalidation channel per site, as the rate limits are.
 */
export function setupCaching(app: FastifyInstance, deps: { config: Config; db: DB; clock: Clock; events: SiteEvents; redisPrefix: string }): Caching {
  const { config } = deps;
  const pageCache = config.pageCacheBytes > 0 ? createPageCache({ maxBytes: config.pageCacheBytes }) : undefined;
  const bus = createInvalidationBus({
    pageCache,
    redis: config.redisUrl ? { url: config.redisUrl, channel: `${deps.redisPrefix}:page-invalidations` } : undefined,
    purgeHook: config.purgeUrl ? createPurgeHook(config.purgeUrl, app.log) : undefined,
    log: app.log,
  });
  const changeWatch = watchUnannouncedChanges({
    db: deps.db,
    clock: deps.clock,
    clear: () => pageCache?.clear(),
    lifted: async (ids) => void (await Promise.all(ids.map(async (id) => bus.invalidate(await articlePurge(deps.db, id))))),
    changedElsewhere: () => bus.invalidate(SITE_PURGE),
    log: app.log,
  });
  void changeWatch.refresh();
  app.addHook('onClose', async () => {
    changeWatch.stop();
    await bus.close();
  });
  const { results, answerHits } = registerHttpCaching(app, { pageCache, bus, sharedCacheSeconds: config.sharedCacheSeconds, fresh: changeWatch.check, hstsPerRequest: hstsPerRequest(config) });
  deps.events.on(async (event) => {
    // Nothing readers see changes yet; the watch learns when it will.
    if (event.type === 'article.scheduled') return changeWatch.refresh();
    // Before any later request is served (listeners start in the microtask after the emit), the keys known without
    // a query: the request after an editor's save never gets the old page from here. The rest follows the query.
    pageCache?.purge(immediateKeys(event));
    await bus.invalidate(await purgeOf(deps.db, event, !!config.purgeUrl));
    // A save may have set a publication time sooner than the next one known.
    if (event.type.startsWith('article.')) await changeWatch.refresh();
  });
  return {
    pageCache,
    bus,
    answerHits,
    report: () => ({ ...results, entries: pageCache?.stats().entries ?? 0, bytes: pageCache?.stats().bytes ?? 0 }),
  };
}
