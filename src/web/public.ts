/** The reader site's route table: one line per route, pointing at a named handler. */
import type { FastifyInstance } from 'fastify';
import { articleHandlers } from '../articles/routes.tsx';
import { commentHandlers } from '../comments/routes.tsx';
import { unsubscribeHandlers } from '../comments/unsubscribe-routes.tsx';
import type { AppContext } from './context.ts';

/** Routes whose one parameter is a numeric id (checked by the handler). */
type IdRoute = { Params: { id: string } };

export function registerPublicRoutes(app: FastifyInstance, ctx: AppContext): void {
  const articles = articleHandlers(ctx);
  const comments = commentHandlers(ctx);
  const unsubscribe = unsubscribeHandlers(ctx);

  app.get('/', articles.frontPage);
  app.get('/articles/:slug', articles.article);
  app.get('/articles/:slug/comments', articles.toComments);
  app.post('/articles/:slug/comments', { preHandler: app.csrfProtection, errorHandler: comments.rejected }, comments.post);
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
}
