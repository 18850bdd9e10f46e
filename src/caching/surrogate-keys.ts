/**
 * Surrogate keys: names for the content a response shows, sent as `Surrogate-Key` (Fastly, Varnish xkey) and
 * `Cache-Tag` (Cloudflare, Akamai) so a cache can drop exactly the pages an edit changes. A page is tagged with
 * every article it shows (`article-12`) and the list it shows them as (`section-3`, `front`), so an article that
 * leaves a list, or is unpublished, still takes the pages that showed it along. Every page carries `site` (the
 * masthead and navigation), which a site-wide change purges.
 */
import type { FastifyReply } from 'fastify';

/** The keys of Broadsheet's content; ids, never slugs, so a renamed section keeps its key. */
export const cacheKeys = {
  site: 'site',
  /** The front page's and the site feed's list of latest stories. */
  front: 'front',
  search: 'search',
  sitemap: 'sitemap',
  /** The article feeds (site, section, tag, author); not the comment feeds. */
  feeds: 'feeds',
  article: (id: number) => `article-${id}`,
  section: (id: number) => `section-${id}`,
  tag: (id: number) => `tag-${id}`,
  author: (id: number) => `author-${id}`,
} as const;

const keysOfReply = new WeakMap<FastifyReply, Set<string>>();

/** Adds `keys` (besides `site`) to what `reply` shows; the caching hooks turn them into headers and index entries. */
export function tagResponse(reply: FastifyReply, keys: Iterable<string>): void {
  let set = keysOfReply.get(reply);
  if (!set) keysOfReply.set(reply, (set = new Set([cacheKeys.site])));
  for (const key of keys) set.add(key);
}

/** The keys `reply` was tagged with; [] for a response nobody tagged (which no cache may keep). */
export function responseKeys(reply: FastifyReply): string[] {
  return [...(keysOfReply.get(reply) ?? [])];
}
