/** Comment rules: posting (validation, status, count kept in the same transaction) and threads as readers see them. */
import { createHmac } from 'node:crypto';
import type { DB } from '../db/database.ts';
import type { CommentStatus, CommentingStatus } from '../db/schema.ts';
import { isoNow, type Clock } from '../lib/clock.ts';
import { Forbidden, ValidationError } from '../lib/errors.ts';
import { PARENT_GONE, validateCommentForm, type CommentFormValues } from './form.ts';
import * as store from './store.ts';
import { renderCommentHtml } from './format.ts';

export interface CommentDeps {
  db: DB;
  clock: Clock;
  /** Site secret keying the IP hash. */
  secret: string;
}

export interface CommentTarget {
  id: number;
  commentStatus: CommentingStatus;
}

/** Replies nest at most this deep; deeper replies attach to the deepest allowed level. */
export const MAX_THREAD_DEPTH = 5;

/** HMAC-SHA256 of the client IP keyed with the site secret, hex; lets moderators group comments without storing IPs. */
export function hashIp(secret: string, ip: string): string {
  return createHmac('sha256', secret).update(ip).digest('hex');
}

/**
 * Stores a reader's comment on `article`. Throws Forbidden when comments are closed and ValidationError with
 * per-field messages (author, email, url, comment, comment_parent) for bad input; nothing is stored then.
 */
export async function postComment(
  deps: CommentDeps,
  article: CommentTarget,
  form: CommentFormValues,
  request: { ip: string; userAgent: string },
): Promise<{ id: number; status: CommentStatus }> {
  if (article.commentStatus !== 'open') throw new Forbidden('Comments are closed on this article.');
  const { comment, errors } = validateCommentForm(form);
  if (!comment) throw new ValidationError(errors);
  // Moderation rules arrive with the moderation queue; until then every valid comment is approved.
  const status: CommentStatus = 'approved';
  return deps.db.transaction().execute(async (tx) => {
    if (comment.parentId !== null) {
      const parent = await store.findCommentOfArticle(tx, article.id, comment.parentId);
      if (!parent || parent.status !== 'approved') throw new ValidationError({ comment_parent: PARENT_GONE });
    }
    const id = await store.insertComment(tx, {
      article_id: article.id,
      parent_id: comment.parentId,
      author_name: comment.authorName,
      author_email: comment.email,
      author_url: comment.url,
      body: comment.body,
      body_html: renderCommentHtml(comment.body),
      status,
      created_at: isoNow(deps.clock),
      ip_hash: hashIp(deps.secret, request.ip),
      user_agent: request.userAgent.slice(0, 500),
    });
    if (status === 'approved') await store.adjustCommentCount(tx, article.id, 1);
    return { id, status };
  });
}

/** A published comment in a thread. */
export interface CommentNode {
  id: number;
  authorName: string;
  /** http(s) URL or ''. */
  authorUrl: string;
  body: string;
  createdAt: string;
  depth: number;
  replies: CommentNode[];
}

/** Approved comments of an article as a tree, oldest first, replies capped at MAX_THREAD_DEPTH. */
export async function getThread(deps: Pick<CommentDeps, 'db'>, articleId: number): Promise<CommentNode[]> {
  const rows = await store.listApproved(deps.db, articleId);
  const nodes = new Map<number, CommentNode>();
  const parentOf = new Map<number, number>();
  const roots: CommentNode[] = [];
  for (const row of rows) {
    let parent = row.parent_id === null ? undefined : nodes.get(row.parent_id);
    // Rows are oldest first, so a parent is always seen before its replies.
    while (parent && parent.depth >= MAX_THREAD_DEPTH) parent = nodes.get(parentOf.get(parent.id) ?? -1);
    const node: CommentNode = {
      id: row.id,
      authorName: row.author_name,
      authorUrl: row.author_url,
      body: row.body,
      createdAt: row.created_at,
      depth: parent ? parent.depth + 1 : 1,
      replies: [],
    };
    nodes.set(row.id, node);
    if (parent) {
      parentOf.set(row.id, parent.id);
      parent.replies.push(node);
    } else roots.push(node);
  }
  return roots;
}
