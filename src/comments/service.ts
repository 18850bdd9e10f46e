/**
 * Comment rules for readers: posting through the pipeline (stored with its status, decision and count in one
 * transaction), threads as readers see them (paged, ordered, depth-capped, with the reader's own held comments),
 * the commenter's own edits within the edit window, and reader reports.
 */
import type { CommentStatus } from '../db/schema.ts';
import { isoNow } from '../lib/clock.ts';
import type { SiteEvents } from '../lib/site-events.ts';
import { Forbidden, NotFound } from '../lib/errors.ts';
import { commentTextFields, type CommentFormValues } from './form.ts';
import { isCounted, recordCommentEvent, type CommentNotifier } from './moderation.ts';
import { screenComment, screenEdit, type CommentArticle, type PipelineDeps, type PostingRequest } from './pipeline.ts';
import { COMMENT_SETTINGS_KEY, commentSettingsFrom, loadCommentSettings, type CommentSettings } from './settings.ts';
import * as store from './store.ts';

export interface CommentDeps extends PipelineDeps {
  notifier: CommentNotifier;
  /** Hears comment.approved after commit when a comment is approved on posting (ctx.events). */
  events?: Pick<SiteEvents, 'emit'>;
}

/**
 * The published article at `slug` as posting a comment needs it (the page's own statement reads it whole), and the
 * comment settings, in one statement. NotFound for unknown or unpublished slugs.
 */
export async function findCommentTarget(deps: Pick<CommentDeps, 'db' | 'clock'>, slug: string): Promise<{ article: Omit<CommentArticle, 'url'> & { slug: string }; settings: CommentSettings }> {
  const row = await store.findCommentTarget(deps.db, slug, isoNow(deps.clock), COMMENT_SETTINGS_KEY);
  if (!row) throw new NotFound(`No published article at "${slug}"`);
  return { article: { id: row.id, slug: row.slug, commentStatus: row.comment_status, publishedAt: row.published_at }, settings: commentSettingsFrom(row.settings ?? undefined) };
}

/** A comment as postComment stored it. */
export interface PostedComment {
  id: number;
  articleId: number;
  parentId: number | null;
  /** ISO-8601 UTC. */
  createdAt: string;
  status: CommentStatus;
  reason: string;
}

/**
 * Stores a reader's comment on `article` after the pipeline (comments/pipeline.ts) decided its status, under
 * `settings` (read now when not given). Throws what the pipeline throws (Forbidden, ValidationError, Conflict,
 * TooManyRequests); nothing is stored then.
 */
export async function postComment(
  deps: CommentDeps,
  article: CommentArticle,
  form: CommentFormValues,
  request: PostingRequest,
  settings?: CommentSettings,
): Promise<PostedComment> {
  settings ??= await loadCommentSettings(deps.db);
  const screened = await screenComment(deps, settings, article, form, request);
  const { comment } = screened;
  const now = isoNow(deps.clock);
  const id = await store.insertPostedComment(deps.db, {
    article_id: article.id,
    parent_id: comment.parentId,
    author_name: comment.authorName,
    author_email: comment.email,
    author_url: comment.url,
    body: comment.body,
    body_html: screened.html,
    status: screened.status,
    created_at: now,
    ip_hash: screened.ipHash,
    network_hash: screened.networkHash,
    user_agent: request.userAgent.slice(0, 500),
    notify_replies: comment.notifyReplies ? 1 : 0,
    moderation_reason: screened.reason,
    edited_at: null,
    erased_at: null,
  });
  if (screened.status === 'approved') deps.notifier.approved([id]);
  if (screened.status === 'approved') deps.events?.emit({ type: 'comment.approved', commentId: id, articleId: article.id });
  if (screened.status === 'pending') deps.notifier.held([id]);
  return { id, articleId: article.id, parentId: comment.parentId, createdAt: now, status: screened.status, reason: screened.reason };
}

/** A comment in a thread as readers see it. */
export interface CommentNode {
  id: number;
  authorName: string;
  /** http(s) URL or ''. */
  authorUrl: string;
  /** Sanitised HTML (comments/format.ts). */
  bodyHtml: string;
  createdAt: string;
  editedAt: string | null;
  depth: number;
  /** Not approved (held, or caught as spam): only ever in the thread of the reader who wrote it. */
  pending: boolean;
  /** Erased at the commenter's request; shown as "[deleted]" because replies hang from it. */
  erased: boolean;
  /** A stand-in for a comment readers cannot see (held, spam, trash) that visible replies answer. */
  hidden?: boolean;
  replies: CommentNode[];
}

export interface ThreadPage {
  /** Top-level threads of this page, each with all its replies. */
  comments: CommentNode[];
  /** 1-based. */
  page: number;
  pageCount: number;
  order: 'oldest' | 'newest';
  /** The comments of this page (and the placeholders they hang from), by id. */
  byId: Map<number, CommentNode>;
}

export interface ThreadOptions {
  /** Ids from the reader's signed commenter cookie: their held comments are shown to them. */
  ownIds?: readonly number[];
  /** 1-based page; out-of-range pages are clamped. Default: the first page. */
  page?: number;
  order?: 'oldest' | 'newest';
  /**
   * The article's approved comments (articles.comment_count), when known: a thread no longer than a page is read
   * whole by a plain statement, cheaper than the paged one (PostgreSQL plans that one anew at every run).
   */
  approvedCount?: number;
}

/**
 * One page of the article's thread as readers see it: top-level threads in `order`, `settings.perPage` per page,
 * replies oldest first, nested at most `settings.maxDepth` deep (deeper replies attach at the deepest level). Reads
 * only that page's comments (store.threadPage), in one statement; or, for a thread that `approvedCount` says fits on
 * one page, all its comments (store.visibleComments), and then only if they turn out to be more (erased or held
 * ones) the page as well.
 */
export async function getThread(deps: Pick<CommentDeps, 'db'>, settings: CommentSettings, articleId: number, options: ThreadOptions = {}): Promise<ThreadPage> {
  const reader = { ownIds: options.ownIds ?? [], flat: settings.maxDepth <= 1 };
  const order = options.order ?? settings.order;
  if (options.approvedCount !== undefined && options.approvedCount + reader.ownIds.length <= settings.perPage) {
    const all = await store.visibleComments(deps.db, articleId, reader.ownIds, settings.perPage + 1);
    if (all.length <= settings.perPage) {
      // As many threads as comments at most: one page, whatever page was asked for.
      const { roots, byId } = buildTree(all, settings.maxDepth);
      const comments = roots.filter((root) => !root.erased || root.replies.length);
      if (order === 'newest') comments.reverse();
      return { comments, page: 1, pageCount: 1, order, byId };
    }
  }
  const requested = Math.max(1, options.page ?? 1);
  // A page past the last gets the last page, in the same statement.
  const { threadCount, rows } = await store.threadPage(deps.db, articleId, reader, { order, offset: (requested - 1) * settings.perPage, limit: settings.perPage });
  const pageCount = Math.max(1, Math.ceil(threadCount / settings.perPage));
  const page = Math.min(requested, pageCount);
  const { roots, byId } = buildTree(rows, settings.maxDepth);
  // An erased comment stays only as the place its replies hang from.
  const comments = roots.filter((root) => !root.erased || root.replies.length);
  if (order === 'newest') comments.reverse();
  return { comments, page, pageCount, order, byId };
}

/**
 * The comments of whole threads (oldest first, so a parent comes before its replies) as trees, replies nested at
 * most `maxDepth` deep: a reply whose parent is not among them (held, spam, trash) hangs from a placeholder, not
 * loose at the top. Roots come in the order of their first comment.
 */
export function buildTree(rows: readonly store.PublicCommentRow[], maxDepth: number): { roots: CommentNode[]; byId: Map<number, CommentNode> } {
  const byId = new Map<number, CommentNode>();
  const parentOf = new Map<number, number>();
  const roots: CommentNode[] = [];
  for (const row of rows) {
    if (row.parent_id !== null && !byId.has(row.parent_id)) {
      const placeholder: CommentNode = { id: row.parent_id, authorName: '', authorUrl: '', bodyHtml: '', createdAt: row.created_at, editedAt: null, depth: 1, pending: false, erased: true, hidden: true, replies: [] };
      byId.set(placeholder.id, placeholder);
      roots.push(placeholder);
    }
    let parent = row.parent_id === null ? undefined : byId.get(row.parent_id);
    while (parent && parent.depth >= maxDepth) parent = byId.get(parentOf.get(parent.id) ?? -1);
    const erased = row.erased_at !== null;
    const node: CommentNode = {
      id: row.id,
      authorName: erased ? '' : row.author_name,
      authorUrl: erased ? '' : row.author_url,
      bodyHtml: erased ? '' : row.body_html,
      createdAt: row.created_at,
      editedAt: row.edited_at,
      depth: parent ? parent.depth + 1 : 1,
      pending: row.status !== 'approved',
      erased,
      replies: [],
    };
    byId.set(row.id, node);
    if (parent) {
      parentOf.set(row.id, parent.id);
      parent.replies.push(node);
    } else roots.push(node);
  }
  return { roots, byId };
}

/**
 * A comment of the article that is not on the page shown, as the comments section needs it: whether the reader
 * sees it or a reply to it (so a page of the whole thread would hold it), and whether it can be replied to.
 */
export async function findThreadComment(deps: Pick<CommentDeps, 'db'>, articleId: number, id: number, ownIds: readonly number[]): Promise<{ inThread: boolean; replyTarget?: { id: number; authorName: string } }> {
  const node = await store.findThreadNode(deps.db, articleId, id, ownIds);
  if (!node) return { inThread: false };
  return { inThread: node.seen || node.answered, replyTarget: node.status === 'approved' && !node.erased ? { id, authorName: node.authorName } : undefined };
}

/** A comment of the reader's own that they may still edit or delete (NotFound / Forbidden otherwise). */
async function ownEditableComment(deps: Pick<CommentDeps, 'db' | 'clock'>, settings: CommentSettings, id: number, ownIds: readonly number[]) {
  const row = ownIds.includes(id) ? await store.findComment(deps.db, id) : undefined;
  if (!row || row.erased_at !== null || row.status === 'spam' || row.status === 'trash') throw new NotFound('No comment of yours with this number');
  if (!withinEditWindow(settings, row.created_at, deps.clock.now())) {
    throw new Forbidden(
      settings.editWindowMinutes > 0
        ? `Comments can be changed for ${settings.editWindowMinutes} minutes after posting; this one can no longer be changed.`
        : 'Comments cannot be changed after posting.',
    );
  }
  return row;
}

/** True while a comment posted at `createdAt` may still be edited or deleted by its author. */
export function withinEditWindow(settings: CommentSettings, createdAt: string, now: Date): boolean {
  return settings.editWindowMinutes > 0 && now.getTime() - Date.parse(createdAt) <= settings.editWindowMinutes * 60_000;
}

/** The reader's own comment as the edit form needs it. */
export async function getOwnComment(deps: Pick<CommentDeps, 'db' | 'clock'>, id: number, ownIds: readonly number[]) {
  const settings = await loadCommentSettings(deps.db);
  const row = await ownEditableComment(deps, settings, id, ownIds);
  return { id: row.id, articleId: row.article_id, body: row.body, settings };
}

/**
 * Replaces the text of the reader's own comment (within the edit window, proven by their signed cookie). The new
 * text passes the same validation and sanitiser as a new comment and the content rules again; an edit can send
 * an approved comment back to the queue, never the other way. Throws NotFound, Forbidden, ValidationError.
 */
export async function editOwnComment(deps: CommentDeps, id: number, ownIds: readonly number[], text: string): Promise<{ articleId: number; status: CommentStatus }> {
  const settings = await loadCommentSettings(deps.db);
  const row = await ownEditableComment(deps, settings, id, ownIds);
  const { comment, body_html: html } = commentTextFields({ author: row.author_name, email: row.author_email, url: row.author_url, comment: text, comment_parent: '' }, settings);
  const change = screenEdit(settings, comment, html, row.status);
  const status = change?.status ?? row.status;
  const now = isoNow(deps.clock);
  await deps.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('comments')
      .set({ body: comment.body, body_html: html, edited_at: now, status, ...(change ? { moderation_reason: change.reason } : {}) })
      .where('id', '=', id)
      .execute();
    await recordCommentEvent(tx, { commentId: id, at: now, userId: null, action: 'edit', status, reason: change?.reason ?? 'edited by the commenter' });
    const delta = Number(isCounted({ status, erased_at: null })) - Number(isCounted(row));
    if (delta) await store.adjustCommentCount(tx, row.article_id, delta);
  });
  return { articleId: row.article_id, status };
}

/**
 * Where a comment lives: its article and the page of the thread that shows it (in the site's default order), for
 * permalinks and the redirect after posting. NotFound if the reader does not see it. Reads no thread, only the
 * comment's parents and a count of the threads before its own (store.threadPosition).
 */
export async function locateComment(deps: Pick<CommentDeps, 'db' | 'clock'>, id: number, ownIds: readonly number[]): Promise<{ articleId: number; page: number }> {
  const settings = await loadCommentSettings(deps.db);
  const position = await store.threadPosition(deps.db, id, { ownIds, flat: settings.maxDepth <= 1 }, settings.order);
  if (!position) throw new NotFound('No such comment');
  return { articleId: position.articleId, page: Math.floor(position.before / settings.perPage) + 1 };
}

/**
 * The page of the thread (in the site's default order) that shows a comment its author has just posted, to them
 * (locateComment with the comment as their own). A top-level comment starts its own thread, so only the threads
 * before it are counted; a reply is located through its parents.
 */
export async function locatePostedComment(deps: Pick<CommentDeps, 'db' | 'clock'>, settings: CommentSettings, posted: PostedComment): Promise<{ articleId: number; page: number }> {
  if (posted.parentId !== null) return locateComment(deps, posted.id, [posted.id]);
  const before = await store.threadsBeforeNewest(deps.db, posted.articleId, settings.maxDepth <= 1, settings.order, { createdAt: posted.createdAt, id: posted.id });
  return { articleId: posted.articleId, page: Math.floor(before / settings.perPage) + 1 };
}
