/**
 * Reader comment routes: post (same-origin check, pipeline, then redirect to the new comment with the commenter cookie set),
 * the stable permalink /comments/ID, the commenter's own edit and delete, and reporting a comment.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { renderArticlePage } from '../articles/routes.tsx';
import { isoNow } from '../lib/clock.ts';
import { Conflict, CrossOriginRequest, Forbidden, NotFound, TooManyRequests, ValidationError } from '../lib/errors.ts';
import { parseId, stringField } from '../lib/form-input.ts';
import type { AppContext } from '../web/context.ts';
import { siteView } from '../web/context.ts';
import { sendPage } from '../web/render.ts';
import { paths } from '../web/site.ts';
import { eraseComments } from './admin/privacy.ts';
import { ownCommentIds, rememberOwnComment, updateRememberedAuthor } from './commenter-cookies.ts';
import { FORM_TIME_FIELD, HONEYPOT_FIELD } from './defences/form-token.ts';
import { readCommentForm } from './form.ts';
import { hashIp } from './network.ts';
import { commentPaths } from './paths.ts';
import { REPORT_REASONS, reportComment } from './reports.ts';
import { editOwnComment, findCommentTarget, getOwnComment, locateComment, locatePostedComment, postComment } from './service.ts';
import { findComment, findPublicArticleOfComment } from './store.ts';
import { EditCommentPage, ReportCommentPage } from './views/comment-pages.tsx';
import { cookieSecure } from '../web/security-headers.ts';

type CommentRequest = FastifyRequest<{ Params: { slug: string } }>;
type IdRequest = FastifyRequest<{ Params: { id: string } }>;

/** `/articles/SLUG?cpage=N#comment-ID`: the article page holding the comment, at its anchor. */
function commentHref(slug: string, page: number, id: number): string {
  return `${paths.article(slug)}${page > 1 ? `?cpage=${page}` : ''}#comment-${id}`;
}

export function commentHandlers(ctx: AppContext) {
  const secureCookies = cookieSecure(ctx.config);

  /** The comment at :id with its public article; NotFound when either is not public. */
  async function commentOnPublicArticle(request: IdRequest) {
    const id = parseId(request.params.id);
    const article = id === undefined ? undefined : await findPublicArticleOfComment(ctx.db, id, isoNow(ctx.clock));
    if (id === undefined || !article) throw new NotFound('No such comment');
    return { id, article };
  }

  async function showEditForm(request: IdRequest, reply: FastifyReply, errors: Record<string, string>, text?: string) {
    const { id, article } = await commentOnPublicArticle(request);
    const own = await getOwnComment(ctx, id, await ownCommentIds(ctx.db, request));
    reply.header('cache-control', 'private, no-store');
    const comment = { id, articleHeadline: article.headline, articlePath: paths.article(article.slug), text: text ?? own.body, maxLength: own.settings.maxLength, windowMinutes: own.settings.editWindowMinutes };
    return sendPage(reply, <EditCommentPage site={await siteView(ctx)} comment={comment} csrfToken={reply.generateCsrf()} errors={errors} />, Object.keys(errors).length ? 422 : 200);
  }

  return {
    /**
     * Route error handler of the comment POST: a refused cross-origin post (web/cross-origin.ts) shows the article
     * page again with the reader's text; every other error goes on to the app's error handler.
     */
    async rejected(error: FastifyError | CrossOriginRequest, request: CommentRequest, reply: FastifyReply) {
      if (!(error instanceof CrossOriginRequest)) throw error;
      const formError = 'Your comment was sent from another website, so it was not posted. Your text is below: post it again from this page if you meant to.';
      return renderArticlePage(ctx, request, reply, { status: 403, values: readCommentForm(request.body), formError });
    },

    /** POST /articles/:slug/comments (after the same-origin check) — on any refusal the article page comes back with the reader's text intact. */
    async post(request: CommentRequest, reply: FastifyReply) {
      const { article, settings } = await findCommentTarget(ctx, request.params.slug);
      const values = readCommentForm(request.body);
      try {
        const posted = await postComment(
          ctx,
          { ...article, url: `${ctx.config.siteUrl}${paths.article(article.slug)}` },
          values,
          {
            ip: request.ip,
            userAgent: request.headers['user-agent'] ?? '',
            referrer: request.headers.referer ?? '',
            honeypot: stringField(request.body, HONEYPOT_FIELD),
            formTime: stringField(request.body, FORM_TIME_FIELD),
          },
          settings,
        );
        rememberOwnComment(request, reply, posted, secureCookies);
        updateRememberedAuthor(reply, !!values.remember, { author: values.author.trim(), email: values.email.trim(), url: values.url.trim() }, secureCookies);
        const { page } = await locatePostedComment(ctx, settings, posted);
        return reply.redirect(commentHref(article.slug, page, posted.id), 303);
      } catch (error) {
        if (error instanceof ValidationError) return renderArticlePage(ctx, request, reply, { status: 422, values, errors: error.fields });
        if (error instanceof TooManyRequests) reply.header('retry-after', String(error.retryAfterSeconds));
        if (error instanceof Forbidden || error instanceof Conflict || error instanceof TooManyRequests) {
          return renderArticlePage(ctx, request, reply, { status: error.status, values, formError: error.message });
        }
        throw error;
      }
    },

    /** GET /comments/:id — the stable permalink: redirects to the page of the thread that shows the comment now. */
    async permalink(request: IdRequest, reply: FastifyReply) {
      const { id, article } = await commentOnPublicArticle(request);
      const { page } = await locateComment(ctx, id, await ownCommentIds(ctx.db, request));
      return reply.redirect(commentHref(article.slug, page, id), 302);
    },

    /** GET /comments/:id/edit — the commenter's own comment, within the edit window. */
    async editForm(request: IdRequest, reply: FastifyReply) {
      return showEditForm(request, reply, {});
    },

    /** POST /comments/:id/edit */
    async edit(request: IdRequest, reply: FastifyReply) {
      const { id, article } = await commentOnPublicArticle(request);
      const text = stringField(request.body, 'comment');
      try {
        await editOwnComment(ctx, id, await ownCommentIds(ctx.db, request), text);
        ctx.events.emit({ type: 'comment.changed', articleId: article.id });
      } catch (error) {
        if (error instanceof ValidationError) return showEditForm(request, reply, error.fields, text);
        throw error;
      }
      const { page } = await locateComment(ctx, id, await ownCommentIds(ctx.db, request));
      return reply.redirect(commentHref(article.slug, page, id), 303);
    },

    /** POST /comments/:id/delete — the commenter deletes their own comment ("[deleted]" if replies hang from it). */
    async remove(request: IdRequest, reply: FastifyReply) {
      const { id, article } = await commentOnPublicArticle(request);
      await getOwnComment(ctx, id, await ownCommentIds(ctx.db, request));
      if (!stringField(request.body, 'confirm')) return showEditForm(request, reply, { confirm: 'Tick the box to confirm that you want to delete your comment.' });
      await eraseComments(ctx.db, ctx.clock, [id]);
      ctx.events.emit({ type: 'comment.changed', articleId: article.id });
      return reply.redirect(`${paths.article(article.slug)}#comments`, 303);
    },

    /** GET /comments/:id/report — asks the reader what is wrong with the comment. */
    async reportForm(request: IdRequest, reply: FastifyReply) {
      const { id, article } = await commentOnPublicArticle(request);
      const comment = await findComment(ctx.db, id);
      if (!comment || comment.status !== 'approved' || comment.erased_at !== null) throw new NotFound('No such comment');
      reply.header('cache-control', 'private, no-store');
      return sendPage(reply, <ReportCommentPage site={await siteView(ctx)} commentId={id} authorName={comment.author_name} articleHeadline={article.headline} csrfToken={reply.generateCsrf()} />);
    },

    /** POST /comments/:id/report — one report per reader; enough reports send the comment back to the queue. */
    async report(request: IdRequest, reply: FastifyReply) {
      const { id, article } = await commentOnPublicArticle(request);
      await reportComment(ctx, id, hashIp(ctx.secret, request.ip), stringField(request.body, 'reason'));
      const located = await locateComment(ctx, id, []).catch(() => undefined);
      const query = [located && located.page > 1 ? `cpage=${located.page}` : '', `reported=${id}`].filter(Boolean).join('&');
      return reply.redirect(`${paths.article(article.slug)}${query ? `?${query}` : ''}${located ? `#comment-${id}` : '#comments'}`, 303);
    },
  };
}

export { commentPaths };
