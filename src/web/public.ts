/** The reader site's route table: one line per route, pointing at a named handler. */
import type { FastifyInstance } from 'fastify';
import { articleHandlers } from '../articles/routes.tsx';
import { commentHandlers } from '../comments/routes.tsx';
import { unsubscribeHandlers } from '../comments/unsubscribe-routes.tsx';
import { feedHandlers } from '../distribution/feeds/routes.ts';
import { sitemapHandlers } from '../distribution/sitemaps/routes.ts';
import { searchHandlers } from '../distribution/search/routes.tsx';
import { legacyRedirect } from '../importers/legacy-paths-routes.ts';
import type { AppContext } from './context.ts';
import { sameOriginOnly } from './cross-origin.ts';

/** Routes whose one parameter is a numeric id (checked by the handler). */
type IdRoute = { Params: { id: string } };

export function registerPublicRoutes(app: FastifyInstance, ctx: AppContext): void {
  const articles = articleHandlers(ctx);
  const comments = commentHandlers(ctx);
  const unsubscribe = unsubscribeHandlers(ctx);
  const feeds = feedHandlers(ctx);
  const sitemaps = sitemapHandlers(ctx);
  const search = searchHandlers(ctx);

  // WordPress's plain addresses (`/?p=123`, `/?cat=4`) of imported content: 301 to where it lives now.
  app.get('/', { preHandler: legacyRedirect(ctx) }, articles.frontPage);
  app.get('/articles/:slug', articles.article);
  app.get('/pages/:slug', articles.page);
  app.get('/articles/:slug/comments', articles.toComments);
  // No CSRF token: the form sits on pages shared caches keep, so the browser's Origin and Sec-Fetch-Site are checked.
  app.post('/articles/:slug/comments', { preHandler: sameOriginOnly(ctx.config.siteUrl), errorHandler: comments.rejected }, comments.post);
  // No CSRF: the HMAC token in the address is the authorisation, and mail clients post here directly (RFC 8058).
  app.get('/comments/unsubscribe', unsubscribe.form);
  app.post('/comments/unsubscribe', unsubscribe.stop);
  app.get<IdRoute>('/comments/:id', comments.permalink);
  app.get<IdRoute>('/comments/:id/edit', comments.editForm);
  app.post<IdRoute>('/comments/:id/edit', { preHandler: app.csrfProtection }, comments.edit);
  app.post<IdRoute>('/comments/:id/delete', { preHandler: app.csrfProtection }, comments.remove);
  app.get<IdRoute>('/comments/:id/report', comments.reportForm);
  app.post<IdRoute>('/comments/:id/report', { preHandler: app.csrfProtection }, comments.report);
  app.get('/section/:slug', articles.section);
  app.get('/author/:slug', articles.author);
  app.get('/tag/:slug', articles.tag);
  app.get('/search', search.page);

  // Feeds (addresses as in distribution/paths.ts): RSS 2.0, Atom 1.0, JSON Feed 1.1; comments as RSS 2.0.
  app.get('/feed.xml', feeds.site('rss'));
  app.get('/feed.atom', feeds.site('atom'));
  app.get('/feed.json', feeds.site('json'));
  app.get('/section/:slug/feed.xml', feeds.section('rss'));
  app.get('/section/:slug/feed.atom', feeds.section('atom'));
  app.get('/section/:slug/feed.json', feeds.section('json'));
  app.get('/tag/:slug/feed.xml', feeds.tag('rss'));
  app.get('/tag/:slug/feed.atom', feeds.tag('atom'));
  app.get('/tag/:slug/feed.json', feeds.tag('json'));
  app.get('/author/:slug/feed.xml', feeds.author('rss'));
  app.get('/author/:slug/feed.atom', feeds.author('atom'));
  app.get('/author/:slug/feed.json', feeds.author('json'));
  app.get('/articles/:slug/comments/feed.xml', feeds.comments);
  // Sitemaps (sitemaps.org 0.9, Google News) and robots.txt.
  app.get('/sitemap.xml', sitemaps.index);
  app.get('/sitemaps/articles-:page.xml', sitemaps.articles);
  app.get('/sitemaps/pages.xml', sitemaps.pages);
  app.get('/sitemaps/news.xml', sitemaps.news);
  app.get('/robots.txt', sitemaps.robots);
}
