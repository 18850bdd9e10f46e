/** The confirmation step before comments are deleted for good: what will go, one button to do it, a way back. */
import type { CommentStatus } from '../../../db/schema.ts';
import { AdminLayout, type AdminFrame } from '../../../newsroom/views/admin-layout.tsx';
import { PostForm } from '../../../web/views/form.tsx';
import type { ModerationRow } from '../queue-store.ts';
import { CommentAuthor, CommentContent } from './comment-parts.tsx';
import { queueHref } from './queue-page.tsx';

export interface DeleteConfirmProps {
  frame: AdminFrame;
  /** Only spam and trash: other comments are never offered for deletion. */
  rows: ModerationRow[];
  status: CommentStatus;
  page: number;
  formatTime: (iso: string) => string;
}

export function DeleteConfirmPage({ frame, rows, status, page, formatTime }: DeleteConfirmProps) {
  const n = rows.length;
  const what = `${n} ${n === 1 ? 'comment' : 'comments'}`;
  return (
    <AdminLayout frame={frame} title="Delete comments permanently">
      <h1>Delete {what} permanently?</h1>
      {n ? (
        <>
          <p>This cannot be undone. Replies to a deleted comment stay, moved up one level.</p>
          <ul class="comment-confirm-list">
            {rows.map((row) => (
              <li>
                <CommentAuthor row={row} />
                <CommentContent row={row} formatTime={formatTime} />
              </li>
            ))}
          </ul>
          <PostForm action="/admin/comments/bulk" csrfToken={frame.csrfToken} className="row-form">
            <input type="hidden" name="action" value="delete" />
            <input type="hidden" name="confirm" value="1" />
            <input type="hidden" name="status" value={status} />
            <input type="hidden" name="page" value={String(page)} />
            {rows.map((row) => (
              <input type="hidden" name="ids" value={String(row.id)} />
            ))}
            <button type="submit" class="button-primary danger-button">
              Delete {what} permanently
            </button>
            <a class="button-secondary" href={queueHref(status, page)}>
              Cancel
            </a>
          </PostForm>
        </>
      ) : (
        <p>
          None of the selected comments is in spam or the trash, so nothing can be deleted. <a href={queueHref(status, page)}>Back to the queue</a>
        </p>
      )}
    </AdminLayout>
  );
}
