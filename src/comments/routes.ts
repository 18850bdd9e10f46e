/** Handler for posting a reader comment: CSRF check, validation, store, then redirect to the new comment. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderArticlePage } from '../articles/routes.tsx';
import { getPublishedArticle } from '../articles/service.ts';
import { Forbidden, ValidationError } from '../lib/errors.ts';
import type { AppContext } from '../web/context.ts';
import { paths } from '../web/site.ts';
import { readCommentForm } from './form.ts';
import { postComment } from './service.ts';

type CommentRequest = FastifyRequest<{ Params: { slug: string }; Querystring: { before?: string; replyto?: string } }>;

/** Resolves true when the request's CSRF token matches its cookie (@fastify/csrf-protection), false otherwise. */
function csrfValid(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  return new Promise((resolve) => {
    app.csrfProtection(request, reply, (error?: Error) => resolve(!error));
  });
}

export function commentHandlers(ctx: AppContext, app: FastifyInstance) {
  return {
    /** POST /articles/:slug/comments — on any problem the article page comes back with the reader's text intact. */
    async post(request: CommentRequest, reply: FastifyReply) {
      const article = await getPublishedArticle(ctx, request.params.slug);
      const values = readCommentForm(request.body);
      if (!(await csrfValid(app, request, reply))) {
        const formError = 'Your form had expired, so the comment was not posted. Your text is below: please post it again.';
        return renderArticlePage(ctx, request, reply, { status: 403, values, formError });
      }
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
