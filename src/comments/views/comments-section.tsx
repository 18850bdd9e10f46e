/** The comments section of an article page: count heading, order and page links, the thread, and the form. */
import type { CommentFormState } from './comment-form.tsx';
import { CommentForm, ERROR_SUMMARY_ID } from './comment-form.tsx';
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
  /** Text a reader tried to post after comments closed: given back so it is not lost. */
  unsentText?: string;
  /** A short message for this reader about what they just did (e.g. a report that hid a comment). */
  notice?: string;
}

/** Comments closed while the reader was writing: the message, and their text to copy. */
function UnsentComment({ message, text }: { message: string; text: string }) {
  return (
    <div class="comment-respond" id="respond">
      <div class="error-summary" role="alert" tabIndex={-1} id={ERROR_SUMMARY_ID}>
        <h3>Your comment was not posted</h3>
        <p>{message}</p>
      </div>
      <label for="comment">Your text, to copy</label>
      <textarea id="comment" rows={7} readOnly>
        {text}
      </textarea>
    </div>
  );
}

export function CommentsSection({ site, articlePath, count, thread, viewer, form, closedMessage, unsentText, notice }: CommentsSectionProps) {
  return (
    <section class="comments" id="comments" aria-labelledby="comments-heading">
      <h2 id="comments-heading">{commentCountLabel(count)}</h2>
      {notice ? (
        <p class="comments-notice" role="status">
          {notice}
        </p>
      ) : null}
      {thread.comments.length ? <CommentNavigation thread={thread} articlePath={articlePath} placement="top" /> : null}
      <CommentThread site={site} thread={thread} articlePath={articlePath} viewer={viewer} />
      {thread.pageCount > 1 ? <CommentNavigation thread={thread} articlePath={articlePath} placement="bottom" /> : null}
      {form ? <CommentForm state={form} /> : unsentText ? <UnsentComment message={closedMessage} text={unsentText} /> : <p class="comments-closed">{closedMessage}</p>}
    </section>
  );
}
