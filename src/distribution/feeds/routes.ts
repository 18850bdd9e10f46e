/** Handlers for the feeds: RSS 2.0, Atom 1.0 and JSON Feed 1.1 of the site, sections, tags and authors; RSS 2.0 of comments. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { findRedirectTarget } from '../../articles/store.ts';
import { isoNow } from '../../lib/clock.ts';
import { NotFound } from '../../lib/errors.ts';
import type { AppContext } from '../../web/context.ts';
import { cacheKeys, tagResponse } from '../../caching/surrogate-keys.ts';
import { sendCacheable } from '../conditional-get.ts';
import { distributionPaths, FEED_TYPES, type FeedFormat } from '../paths.ts';
import { onReplica } from '../replica.ts';
import { renderFeed, type FeedDocument } from './render.ts';
import { articleFeed, commentsFeed, type FeedSubject } from './service.ts';

/** Feed readers poll; five minutes keeps a breaking story late by at most that, and spares the database. */
const FEED_CACHE_CONTROL = 'public, max-age=300';

type SlugRequest = FastifyRequest<{ Params: { slug: string } }>;
type Handler = (request: SlugRequest, reply: FastifyReply) => Promise<FastifyReply>;

function send(request: FastifyRequest, reply: FastifyReply, doc: FeedDocument, format: FeedFormat): FastifyReply {
  return sendCacheable(request, reply, { body: renderFeed(doc, format), type: `${FEED_TYPES[format]}; charset=utf-8`, lastModified: doc.updated, cacheControl: FEED_CACHE_CONTROL });
}

/** Handlers bound to the app context; each article-feed handler is made for one format. They read the replica (replica.ts). */
export function feedHandlers(app: AppContext) {
  const ctx = onReplica(app);
  const feedOf =
    (kind: FeedSubject['kind']) =>
    (format: FeedFormat): Handler =>
    async (request, reply) => {
      const subject: FeedSubject = kind === 'site' ? { kind } : { kind, slug: request.params.slug };
      const doc = await articleFeed(ctx, subject);
      tagResponse(reply, [cacheKeys.feeds]);
      return send(request, reply, doc, format);
    };

  return {
    site: feedOf('site'),
    section: feedOf('section'),
    tag: feedOf('tag'),
    author: feedOf('author'),

    /** An article's comments (RSS 2.0); at an old slug of the article, a permanent redirect to the current feed. */
    async comments(request: SlugRequest, reply: FastifyReply): Promise<FastifyReply> {
      try {
        return send(request, reply, await commentsFeed(ctx, request.params.slug), 'rss');
      } catch (error) {
        const target = error instanceof NotFound ? await findRedirectTarget(ctx.db, request.params.slug, isoNow(ctx.clock)) : undefined;
        if (!target) throw error;
        return reply.redirect(distributionPaths.commentsFeed(target.slug), 301);
      }
    },
  };
}
