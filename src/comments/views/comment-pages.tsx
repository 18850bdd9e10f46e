/** The reader's small comment pages: edit or delete their own comment, and report someone else's. */
import { Layout } from '../../web/views/layout.tsx';
import { ErrorSummary, PostForm } from '../../web/views/form.tsx';
import type { SiteView } from '../../web/site.ts';
import { commentPaths } from '../paths.ts';
import { REPORT_REASONS } from '../reports.ts';

export interface OwnCommentEdit {
  id: number;
  articleHeadline: string;
  articlePath: string;
  text: string;
  maxLength: number;
  /** Minutes of the edit window (setting). */
  windowMinutes: number;
}

export function EditCommentPage({ site, comment, csrfToken, errors }: { site: SiteView; comment: OwnCommentEdit; csrfToken: string; errors: Record<string, string> }) {
  return (
    <Layout site={site} title={`Edit your comment - ${site.name}`} noindex>
      <div class="comment-page">
        <h1>Edit your comment</h1>
        <p>
          On <a href={comment.articlePath}>{comment.articleHeadline}</a>. You can change or delete your comment for {comment.windowMinutes} minutes after posting it.
        </p>
        <ErrorSummary errors={errors} labels={{ comment: 'Comment', confirm: 'Delete' }} title={errors.confirm ? 'Your comment was not deleted' : 'Your comment was not saved'} />
        <PostForm action={commentPaths.edit(comment.id)} csrfToken={csrfToken} className="comment-form">
          <div class="comment-form-comment">
            <label for="comment">Comment</label>
            <textarea id="comment" name="comment" rows={8} required aria-describedby={errors.comment ? 'comment-error' : undefined} aria-invalid={errors.comment ? 'true' : undefined}>
              {comment.text}
            </textarea>
            {errors.comment ? (
              <p class="field-error" id="comment-error">
                {errors.comment}
              </p>
            ) : null}
          </div>
          <p class="form-submit">
            <button type="submit" class="submit">
              Save changes
            </button>{' '}
            <a href={commentPaths.permalink(comment.id)}>Cancel</a>
          </p>
        </PostForm>
        <h2>Delete your comment</h2>
        <PostForm action={commentPaths.delete(comment.id)} csrfToken={csrfToken} className="comment-form">
          <p>Deleting cannot be undone. If someone has replied, the comment is shown as “[deleted]” so the replies still make sense.</p>
          <p class="comment-form-confirm">
            <input type="checkbox" id="confirm" name="confirm" value="yes" required aria-describedby={errors.confirm ? 'confirm-error' : undefined} />{' '}
            <label for="confirm">Yes, delete my comment for good</label>
          </p>
          {errors.confirm ? (
            <p class="field-error" id="confirm-error">
              {errors.confirm}
            </p>
          ) : null}
          <p class="form-submit">
            <button type="submit" class="submit danger">
              Delete my comment
            </button>
          </p>
        </PostForm>
      </div>
    </Layout>
  );
}

export function ReportCommentPage({ site, commentId, authorName, articleHeadline, csrfToken }: { site: SiteView; commentId: number; authorName: string; articleHeadline: string; csrfToken: string }) {
  return (
    <Layout site={site} title={`Report a comment - ${site.name}`} noindex>
      <div class="comment-page">
        <h1>Report a comment</h1>
        <p>
          The comment by {authorName} on “{articleHeadline}”. When several readers report a comment, it is hidden until a moderator has looked at it.
        </p>
        <PostForm action={commentPaths.report(commentId)} csrfToken={csrfToken} className="comment-form">
          <fieldset>
            <legend>What is wrong with it?</legend>
            {Object.entries(REPORT_REASONS).map(([value, label], i) => (
              <p>
                <input type="radio" id={`reason-${value}`} name="reason" value={value} checked={i === 0} /> <label for={`reason-${value}`}>{label}</label>
              </p>
            ))}
          </fieldset>
          <p class="form-submit">
            <button type="submit" class="submit">
              Report comment
            </button>{' '}
            <a href={commentPaths.permalink(commentId)}>Cancel</a>
          </p>
        </PostForm>
      </div>
    </Layout>
  );
}
