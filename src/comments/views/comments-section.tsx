/** The comments section of an article page: count heading, order and page links, the thread, and the form. */
import type { CommentFormState } from './comment-form.tsx';
import { CommentForm } from './comment-form.tsx';
import { CommentNavigation, CommentThread, type ThreadViewer } from './comment-thread.tsx';
import type { ThreadPage } from '../service.ts';
import type { SiteView } from '../../web/site.ts';

export function commentCountLabel(n: number): string {
  return n === 1 ? '1 Comment' : `${n} Comments`;
}

export interface CommentsSectionProps {
  site: SiteView;
  articlePath: string;
  /** Approved comments (articles.comment_count). */
  count: number;
  thread: ThreadPage;
  viewer: ThreadViewer;
  /** Absent when comments are closed. */
  form?: CommentFormState;
  /** Why comments are closed, when they are. */
  closedMessage: string;
}

export function CommentsSection({ site, articlePath, count, thread, viewer, form, closedMessage }: CommentsSectionProps) {
  return (
    <section class="comments" id="comments" aria-labelledby="comments-heading">
      <h2 id="comments-heading">{commentCountLabel(count)}</h2>
      {thread.comments.length ? <CommentNavigation thread={thread} articlePath={articlePath} placement="top" /> : null}
      <CommentThread site={site} thread={thread} articlePath={articlePath} viewer={viewer} />
      {thread.pageCount > 1 ? <CommentNavigation thread={thread} articlePath={articlePath} placement="bottom" /> : null}
      {form ? <CommentForm state={form} /> : <p class="comments-closed">{closedMessage}</p>}
    </section>
  );
}
