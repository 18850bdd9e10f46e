/** The site's answer to an old address of imported content: a 301 to where it lives now (see legacy-paths.ts). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isoNow } from '../lib/clock.ts';
import type { AppContext } from '../web/context.ts';
import { resolveLegacyPath } from './legacy-paths.ts';

/** One day: CDNs and browsers keep the answer, and an import that re-points an address is seen within a day. */
const CACHE_CONTROL = 'public, max-age=86400';

export type LegacyRedirectHook = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;

/**
 * A preHandler for the front page and the not-found handler, and the last try of a route's own 404 (a `/tag/x`
 * that was a tag on the old site and is a section now): a GET or HEAD of a recorded old address gets a 301 to
 * its target (query parameters other than WordPress's are left off); anything else goes on to the page or the 404.
 * The front page without a WordPress query costs no query: normalised, it is `/`, a live address never looked up.
 */
export function legacyRedirect(ctx: AppContext): LegacyRedirectHook {
  return async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
    const location = await resolveLegacyPath(ctx.db, request.url, isoNow(ctx.clock));
    // An old address equal to where its target lives now (a tag whose route just said 404) must not loop.
    if (location === undefined || location === request.url.split('?')[0]) return undefined;
    return reply.header('cache-control', CACHE_CONTROL).redirect(location, 301);
  };
}
