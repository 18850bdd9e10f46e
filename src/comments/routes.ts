/** Handler for posting a reader comment: CSRF check, validation, store, then redirect to the new comment. */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { renderArticlePage } from '../articles/routes.tsx';
import { getPublishedArticle } from '../articles/service.ts';
import { Forbidden, ValidationError } from '../lib/errors.ts';
import type { AppContext } from '../web/context.ts';
import { paths } from '../web/site.ts';
import { readCommentForm } from './form.ts';
import { postComment } from './service.ts';

type CommentRequest = FastifyRequest<{ Params: { slug: string }; Querystring: { before?: string; replyto?: string } }>;

export function commentHandlers(ctx: AppContext) {
  return {
    /**
     * Route error handler of the comment POST: a failed CSRF check (@fastify/csrf-protection preHandler) shows the
     * article page again with the reader's text; every other error goes on to the app's error handler.
     */
    async rejected(error: FastifyError, request: CommentRequest, reply: FastifyReply) {
      if (!error.code?.startsWith('FST_CSRF')) throw error;
      const formError = 'Your form had expired, so the comment was not posted. Your text is below: please post it again.';
      return renderArticlePage(ctx, request, reply, { status: 403, values: readCommentForm(request.body), formError });
    },

    /** POST /articles/:slug/comments (after the CSRF check) — on any problem the article page comes back with the reader's text intact. */
    async post(request: CommentRequest, reply: FastifyReply) {
      const article = await getPublishedArticle(ctx, request.params.slug);
      const values = readCommentForm(request.body);
      try {
        const { id } = await postComment(ctx, article, values, { ip: request.ip, userAgent: request.headers['user-agent'] ?? '' });
        return reply.redirect(`${paths.article(article.slug)}#comment-${id}`, 303);
      } catch (error) {
        if (error instanceof ValidationError) return renderArticlePage(ctx, request, reply, { status: 422, values, errors: error.fields });
        if (error instanceof Forbidden) return renderArticlePage(ctx, request, reply, { status: 403, values, formError: error.message });
        throw error;
      }
    },
  };
}
