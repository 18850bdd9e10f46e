/** Handlers for the sitemaps (sitemaps.org 0.9 index, article pages, listing pages, Google News) and robots.txt. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFound } from '../../lib/errors.ts';
import type { AppContext } from '../../web/context.ts';
import { cacheKeys, tagResponse } from '../../caching/surrogate-keys.ts';
import { sendCacheable } from '../conditional-get.ts';
import { onReplica } from '../replica.ts';
import { articleSitemap, newsSitemap, pagesSitemap, robotsTxt, sitemapIndex, type SitemapDocument } from './service.ts';

const XML = 'application/xml; charset=utf-8';
/** Crawlers come back often enough; news changes by the minute, the rest by the hour. */
const SITEMAP_CACHE_CONTROL = 'public, max-age=900';
const NEWS_CACHE_CONTROL = 'public, max-age=300';
const ROBOTS_CACHE_CONTROL = 'public, max-age=3600';

type PageRequest = FastifyRequest<{ Params: { page: string } }>;

function send(request: FastifyRequest, reply: FastifyReply, doc: SitemapDocument, cacheControl = SITEMAP_CACHE_CONTROL): FastifyReply {
  tagResponse(reply, [cacheKeys.sitemap]);
  return sendCacheable(request, reply, { body: doc.xml, type: XML, lastModified: doc.lastModified, cacheControl });
}

/** A page number as written in the address: 1 to 999,999,999 without sign, leading zeros or exponent. */
function parsePage(raw: string): number {
  if (!/^[1-9]\d{0,8}$/.test(raw)) throw new NotFound(`No article sitemap "${raw}"`);
  return Number(raw);
}

/** Handlers bound to the app context; they read the replica (replica.ts). */
export function sitemapHandlers(app: AppContext) {
  const ctx = onReplica(app);
  return {
    async index(request: FastifyRequest, reply: FastifyReply) {
      return send(request, reply, await sitemapIndex(ctx));
    },
    async articles(request: PageRequest, reply: FastifyReply) {
      return send(request, reply, await articleSitemap(ctx, parsePage(request.params.page)));
    },
    async pages(request: FastifyRequest, reply: FastifyReply) {
      return send(request, reply, await pagesSitemap(ctx));
    },
    async news(request: FastifyRequest, reply: FastifyReply) {
      return send(request, reply, await newsSitemap(ctx), NEWS_CACHE_CONTROL);
    },
    async robots(request: FastifyRequest, reply: FastifyReply) {
      return sendCacheable(request, reply, { body: robotsTxt(ctx.config), type: 'text/plain; charset=utf-8', cacheControl: ROBOTS_CACHE_CONTROL });
    },
  };
}
