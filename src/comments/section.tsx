/**
 * Builds the comments section of an article page for one request: the page of the thread the reader asked for
 * (`?cpage=N`, `?corder=newest`), their own held comments (signed cookie), the reply target (`?replyto=ID`), the
 * form pre-filled from the remember-me cookie or with what they just typed, and whether comments are closed.
 * A section that shows anything personal marks the response `Cache-Control: private, no-store`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { ArticleView } from '../articles/service.ts';
import { parseId, stringField } from '../lib/form-input.ts';
import type { AppContext } from '../web/context.ts';
import { paths, type SiteView } from '../web/site.ts';
import { hasCommenterCookies, ownCommentIds, readRememberedAuthor } from './commenter-cookies.ts';
import { issueFormTime } from './defences/form-token.ts';
import type { CommentFormValues } from './form.ts';
import { closedReason } from './pipeline.ts';
import { findThreadComment, getThread, withinEditWindow } from './service.ts';
import { loadCommentSettings, type CommentSettings } from './settings.ts';
import { CommentsSection } from './views/comments-section.tsx';

export interface CommentSectionState {
  /** What the reader typed, after a refused post. */
  values?: CommentFormValues;
  /** Field → message. */
  errors?: Record<string, string>;
  /** A message about the whole form. */
  formError?: string;
}

const EMPTY_FORM: CommentFormValues = { author: '', email: '', url: '', comment: '', comment_parent: '' };

/**
 * The comments section element for `article`; sets Cache-Control on `reply` when the section is personal.
 * `settings`: the comment settings when the caller read them already (with the article); otherwise they are loaded.
 * Queries: the page of the thread; the reader's own comments when they carry the cookie; a reply target or reported
 * comment only when it is not on the page shown.
 */
export async function buildCommentSection(
  ctx: AppContext,
  site: SiteView,
  request: FastifyRequest,
  reply: FastifyReply,
  article: ArticleView,
  state: CommentSectionState = {},
  settings?: CommentSettings,
): Promise<VNode> {
  settings ??= await loadCommentSettings(ctx.db);
  const ownIds = await ownCommentIds(ctx.db, request);
  const query = request.query;
  const page = parseId(stringField(query, 'cpage')) ?? 1;
  const order = stringField(query, 'corder') === 'newest' ? 'newest' : stringField(query, 'corder') === 'oldest' ? 'oldest' : undefined;
  const thread = await getThread(ctx, settings, article.id, { ownIds, page, order, approvedCount: article.commentCount });
  const now = ctx.clock.now();
  const editable = new Set(ownIds.filter((id) => {
    const node = thread.byId.get(id);
    return node && !node.erased && withinEditWindow(settings, node.createdAt, now);
  }));
  const reported = parseId(stringField(query, 'reported'));
  // Usually on the page shown; a reply target or reported comment elsewhere in the thread is looked up alone.
  const offPage = async (id: number | undefined) => (id === undefined || thread.byId.has(id) ? undefined : findThreadComment(ctx, article.id, id, ownIds));

  const closed = closedReason(article, settings, now);
  const remembered = readRememberedAuthor(request);
  const values = state.values ?? (remembered ? { ...EMPTY_FORM, ...remembered, remember: 'yes' } : EMPTY_FORM);
  const replyToId = parseId(stringField(query, 'replyto') || values.comment_parent);
  let replyTo: { id: number; authorName: string } | undefined;
  if (replyToId !== undefined && !state.errors?.comment_parent) {
    const node = thread.byId.get(replyToId);
    replyTo = node ? (!node.pending && !node.erased ? { id: node.id, authorName: node.authorName } : undefined) : (await offPage(replyToId))?.replyTarget;
  }
  const reportedOffPage = await offPage(reported);
  const articlePath = paths.article(article.slug);
  // Anything from this reader (their held comments, saved details, what they typed) must never reach a shared cache.
  if (state.values || hasCommenterCookies(request)) reply.header('cache-control', 'private, no-store');

  return (
    <CommentsSection
      site={site}
      articlePath={articlePath}
      count={article.commentCount}
      thread={thread}
      viewer={{ editable, reported }}
      notice={reported !== undefined && !thread.byId.has(reported) && !reportedOffPage?.inThread ? 'Thank you for your report. The comment is hidden until a moderator has looked at it.' : undefined}
      closedMessage={closed ?? ''}
      unsentText={closed ? state.values?.comment : undefined}
      form={
        closed
          ? undefined
          : {
              action: paths.comments(article.slug),
              values,
              errors: state.errors ?? {},
              formError: state.formError,
              replyTo,
              cancelReplyHref: `${articlePath}#respond`,
              formTime: issueFormTime(ctx.secret, article.id, now.getTime()),
              maxLength: settings.maxLength,
            }
      }
    />
  );
}
