/**
 * HTTP caching of reader pages, as Fastify hooks. A response tagged with surrogate keys (caching/surrogate-keys.ts)
 * and answering an anonymous GET with 200 is shareable: it gets `Cache-Control: public, max-age=0, s-maxage=N,
 * stale-while-revalidate=N, stale-if-error=86400` (RFC 9111, RFC 5861), a strong ETag (304 when If-None-Match names
 * it, RFC 9110 §13.1.2; marked weak on a compressed body), `Surrogate-Key` and `Cache-Tag`, and is kept in the page
 * cache, with a compressed copy per content coding asked for (caching/page-encodings.ts). A request with a newsroom
 * session or a commenter cookie, or a response that sets a cookie or says private, is never shared and never kept:
 * `Cache-Control: private, no-store`. `X-Page-Cache` says HIT, MISS or BYPASS.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AUTHOR_COOKIE, OWN_COMMENTS_COOKIE } from '../comments/commenter-cookies.ts';
import { entityTag, isNotModified, NOT_IN_304 } from '../distribution/conditional-get.ts';
import { SESSION_COOKIE } from '../newsroom/session-cookie.ts';
import { hasCookie, isReplayed, sendHit, type HitAnswerer } from './cache-hits.ts';
import type { InvalidationBus } from './invalidation.ts';
import type { CachedPage, PageCache } from './page-cache.ts';
import { encodedBody, encodedHeaders, isCompressiblePage, pageCoding } from './page-encodings.ts';
import { responseKeys } from './surrogate-keys.ts';
import { varyOnAcceptEncoding } from '../web/compression.ts';

/** Cookies that make a response personal: the newsroom session, the reader's own comments, their saved details. */
export const PERSONAL_COOKIES = [SESSION_COOKIE, OWN_COMMENTS_COOKIE, AUTHOR_COOKIE] as const;

/** How long a shared cache may serve a stale page while the site is failing, in seconds (RFC 5861). */
const STALE_IF_ERROR_S = 86_400;

/** Tagged reader responses so far, by what the page cache did (X-Page-Cache). */
export interface CacheResults {
  hit: number;
  miss: number;
  bypass: number;
}

/** Cache-Control of a shareable page: browsers revalidate every time (ETag), shared caches keep it `seconds`. */
export function sharedCacheControl(seconds: number): string {
  if (seconds === 0) return 'private, no-cache';
  return `public, max-age=0, s-maxage=${seconds}, stale-while-revalidate=${seconds}, stale-if-error=${STALE_IF_ERROR_S}`;
}

/** Whether `request` carries a cookie that makes its answer personal. */
export function isPersonal(request: FastifyRequest): boolean {
  return PERSONAL_COOKIES.some((name) => !!request.cookies?.[name]);
}

const isRead = (request: { method?: string }): boolean => request.method === 'GET' || request.method === 'HEAD';

/** Whether the request may get 304 for a response with these ETag and Last-Modified headers (conditional-get.ts). */
function notModified(request: { headers: IncomingHttpHeaders }, etag: unknown, lastModified: unknown): boolean {
  return typeof etag === 'string' && isNotModified(request, etag, typeof lastModified === 'string' ? new Date(lastModified) : undefined);
}

/**
 * Installs the hooks on `app`; register it after @fastify/cookie and helmet (its hits are answered in onRequest)
 * and before the routes. `pageCache` undefined: PAGE_CACHE_MB=0, headers only. `fresh()` false: serve nothing
 * from the page cache for this request (caching/change-watch.ts). Returns the running counts of what it did, and
 * the same hit rule for the HTTP server to apply before Fastify (caching/cache-hits.ts), which stops answering
 * once the app is closing (Fastify then answers 503 and closes kept-alive connections).
 */
export function registerHttpCaching(
  app: FastifyInstance,
  deps: { pageCache?: PageCache; bus: InvalidationBus; sharedCacheSeconds: number; fresh: () => boolean; hstsPerRequest?: boolean },
): { results: CacheResults; answerHits: HitAnswerer } {
  const { pageCache, bus } = deps;
  const results: CacheResults = { hit: 0, miss: 0, bypass: 0 };
  const cacheControl = sharedCacheControl(deps.sharedCacheSeconds);
  /** The page cache's token at the start of each request that may be stored. */
  const tokens = new WeakMap<FastifyRequest, number>();
  const hits = new WeakSet<FastifyReply>();
  let closing = false;
  app.addHook('preClose', async () => void (closing = true));

  /**
   * Requests the HTTP server found the cache not fresh for. fresh() may start a sweep and say yes the next time, so
   * it is asked once per request: what it said before Fastify holds for the rest of the request.
   */
  const notFresh = new WeakSet<IncomingMessage>();

  /** The cached page for an anonymous read of `url`, when the cache may serve now; counts the hit. */
  const hit = (url: string, fresh: boolean): CachedPage | undefined => {
    if (!fresh || !bus.live()) return undefined;
    const page = pageCache?.lookup(url);
    if (page) results.hit += 1;
    return page;
  };

  const answerHits: HitAnswerer = (request, response) => {
    if (closing || !pageCache || !isRead(request) || hasCookie(request.headers.cookie, PERSONAL_COOKIES)) return false;
    // Whether this answer gets HSTS is the trusted proxy's to say (web/security-headers.ts): Fastify decides it.
    if (deps.hstsPerRequest && request.headers['x-forwarded-proto'] !== undefined) return false;
    const fresh = deps.fresh();
    if (!fresh) notFresh.add(request);
    const address = request.url ?? '/';
    const page = hit(address, fresh);
    if (!page) return false;
    const unchanged = notModified(request, page.headers.etag, page.headers['last-modified']);
    const coding = pageCoding(request, page, unchanged);
    if (!coding || unchanged) {
      sendHit(request, response, page, unchanged, coding && { coding });
      return true;
    }
    const body = encodedBody(pageCache, address, page, coding);
    if (Buffer.isBuffer(body)) sendHit(request, response, page, false, { coding, body });
    else
      body
        .then(
          (encoded) => sendHit(request, response, page, false, { coding, body: encoded }),
          () => sendHit(request, response, page, false),
        )
        // Nothing left to answer with: the connection is cut rather than left hanging.
        .catch(() => response.destroy());
    return true;
  };

  app.addHook('onRequest', async (request, reply) => {
    if (!pageCache || !isRead(request) || isPersonal(request)) return;
    // fresh() before the token: when an embargo has just lifted it empties the cache, and only a page rendered from
    // here on may be stored.
    const fresh = !notFresh.has(request.raw) && deps.fresh();
    tokens.set(request, pageCache.begin());
    const page = hit(request.url, fresh);
    if (!page) return;
    hits.add(reply);
    const unchanged = notModified(request, page.headers.etag, page.headers['last-modified']);
    const coding = pageCoding(request, page, unchanged);
    reply.headers(coding ? encodedHeaders(page, coding) : page.headers).header('x-page-cache', 'HIT');
    if (unchanged) {
      for (const name of NOT_IN_304) reply.removeHeader(name);
      return reply.removeHeader('content-encoding').code(304).send();
    }
    return reply.send(coding ? await encodedBody(pageCache, request.url, page, coding) : page.body);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (hits.has(reply)) return payload;
    const keys = responseKeys(reply);
    if (!keys.length) return payload;
    const personal = isPersonal(request) || reply.hasHeader('set-cookie');
    const privateAlready = /\b(private|no-store)\b/.test(String(reply.getHeader('cache-control') ?? ''));
    if (personal || privateAlready || !isRead(request) || reply.statusCode !== 200 || (typeof payload !== 'string' && !Buffer.isBuffer(payload))) {
      if (personal) reply.header('cache-control', 'private, no-store');
      results.bypass += 1;
      reply.header('x-page-cache', 'BYPASS');
      return payload;
    }
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', cacheControl);
    reply.header('surrogate-key', keys.join(' ')).header('cache-tag', keys.join(','));
    if (!reply.hasHeader('etag')) reply.header('etag', entityTag(payload, reply.cspNonce?.script));
    // A string's length in characters is at most its length in bytes: enough to tell a body too small to compress.
    const compressible = isCompressiblePage(reply.getHeader('content-type'), payload.length);
    if (compressible) varyOnAcceptEncoding(reply);
    const token = tokens.get(request);
    let page: CachedPage | undefined;
    if (pageCache && request.method === 'GET' && token !== undefined && bus.live()) {
      // Every header as sent (helmet's included), so a hit answered before Fastify reads the same as this answer.
      const headers: CachedPage['headers'] = {};
      for (const [name, value] of Object.entries(reply.getHeaders())) {
        if (value !== undefined && isReplayed(name) && !(deps.hstsPerRequest && name === 'strict-transport-security')) headers[name] = String(value);
      }
      // Bytes, so a hit costs no UTF-8 encoding.
      const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
      const candidate: CachedPage = { headers, body, keys, ...(compressible ? { encoded: {} } : {}) };
      if (pageCache.store(request.url, candidate, token)) page = candidate;
    }
    reply.header('x-page-cache', pageCache ? 'MISS' : 'BYPASS');
    results[pageCache ? 'miss' : 'bypass'] += 1;
    if (notModified(request, reply.getHeader('etag'), reply.getHeader('last-modified'))) {
      for (const name of NOT_IN_304) reply.removeHeader(name);
      reply.code(304);
      return null;
    }
    // The stored page's compressed copy, made now for the hits to come (a page not stored is compressed by
    // @fastify/compress like any response; web/compression.ts marks either's ETag weak).
    const coding = page && pageCoding(request, page);
    if (!page || !coding) return payload;
    reply.header('content-encoding', coding);
    return encodedBody(pageCache!, request.url, page, coding);
  });
  return { results, answerHits };
}
