/** The moderation queue: a tab per status with its count, one page of comments with per-row and bulk actions. */
import type { CommentStatus } from '../../../db/schema.ts';
import { AdminLayout, type AdminFrame } from '../../../newsroom/views/admin-layout.tsx';
import { PostForm } from '../../../web/views/form.tsx';
import { DELETABLE, TAB_ACTIONS } from '../queue-actions.ts';
import { COMMENT_STATUSES, type ModerationRow } from '../queue-store.ts';
import { CommentAuthor, CommentContent, STATUS_LABELS } from './comment-parts.tsx';

export interface QueuePageProps {
  frame: AdminFrame;
  status: CommentStatus;
  counts: Record<CommentStatus, number>;
  rows: ModerationRow[];
  /** 1-based. */
  page: number;
  hasNext: boolean;
  notice?: string;
  /** May open the privacy page (admins). */
  canManagePrivacy: boolean;
  formatTime: (iso: string) => string;
}

/** Address of a queue tab and page. */
export function queueHref(status: CommentStatus, page = 1): string {
  const params = new URLSearchParams();
  if (status !== 'pending') params.set('status', status);
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `/admin/comments?${query}` : '/admin/comments';
}

/** Links to the other comment pages, shown under every comment page's heading. */
/** `current`: the page being shown, when it is one of the three (a commenter's history is none of them). */
export function CommentPagesNav({ current, canManagePrivacy }: { current?: 'queue' | 'settings' | 'privacy'; canManagePrivacy: boolean }) {
  return (
    <p class="comment-pages">
      <a href="/admin/comments" aria-current={current === 'queue' ? 'page' : undefined}>
        Moderation queue
      </a>
      <a href="/admin/comments/settings" aria-current={current === 'settings' ? 'page' : undefined}>
        Comment settings and bans
      </a>
      {canManagePrivacy ? (
        <a href="/admin/comments/privacy" aria-current={current === 'privacy' ? 'page' : undefined}>
          Commenter privacy
        </a>
      ) : null}
    </p>
  );
}

function RowActions({ row, status, page }: { row: ModerationRow; status: CommentStatus; page: number }) {
  const who = row.erased_at ? 'a deleted commenter' : row.author_name;
  return (
    <div class="comment-actions">
      {TAB_ACTIONS[status].map(({ action, label }) => (
        <button type="submit" class={action === 'approve' ? 'button-primary' : 'button-secondary'} formaction={`/admin/comments/${row.id}/${action}`} aria-label={`${label}: comment ${row.id} by ${who}`}>
          {label}
        </button>
      ))}
      {row.erased_at ? null : (
        <a class="button-link" href={`/admin/comments/${row.id}/edit`} aria-label={`Edit comment ${row.id} by ${who}`}>
          Edit
        </a>
      )}
      {DELETABLE.includes(status) ? (
        <a class="button-link danger" href={`/admin/comments/${row.id}/delete?${new URLSearchParams({ status, page: String(page) }).toString()}`} aria-label={`Delete permanently: comment ${row.id} by ${who}`}>
          Delete permanently…
        </a>
      ) : null}
    </div>
  );
}

export function QueuePage({ frame, status, counts, rows, page, hasNext, notice, canManagePrivacy, formatTime }: QueuePageProps) {
  return (
    <AdminLayout frame={frame} title={`Comments: ${STATUS_LABELS[status]}`}>
      <h1>Comments</h1>
      <CommentPagesNav current="queue" canManagePrivacy={canManagePrivacy} />
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <nav aria-label="Comments by status">
        <ul class="comment-tabs">
          {COMMENT_STATUSES.map((s) => (
            <li>
              <a href={queueHref(s)} aria-current={s === status ? 'page' : undefined} data-status={s}>
                {STATUS_LABELS[s]} <span class="tab-count">{counts[s]}</span>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {rows.length ? (
        <PostForm action="/admin/comments/bulk" csrfToken={frame.csrfToken} className="comment-queue">
          <input type="hidden" name="status" value={status} />
          <input type="hidden" name="page" value={String(page)} />
          <div class="bulk-bar">
            <div class="field">
              <label for="bulk-action">With the selected comments</label>
              <select id="bulk-action" name="action">
                {TAB_ACTIONS[status].map(({ action, label }) => (
                  <option value={action}>{label}</option>
                ))}
                {DELETABLE.includes(status) ? <option value="delete">Delete permanently</option> : null}
              </select>
            </div>
            <div class="field">
              <label for="reason">Reason (optional, kept in the history)</label>
              <input id="reason" name="reason" maxLength={200} />
            </div>
            <button type="submit" class="button-secondary">
              Apply
            </button>
          </div>
          <table class="admin-table comment-table">
            <caption class="visually-hidden">{`${STATUS_LABELS[status]} comments, newest first`}</caption>
            <thead>
              <tr>
                <th scope="col">
                  <span class="visually-hidden">Select</span>
                </th>
                <th scope="col">Author</th>
                <th scope="col">Comment</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr id={`c${row.id}`} data-comment={String(row.id)}>
                  <td>
                    <input type="checkbox" name="ids" value={String(row.id)} id={`select-${row.id}`} />
                    <label for={`select-${row.id}`} class="visually-hidden">
                      Select comment {row.id} by {row.erased_at ? 'a deleted commenter' : row.author_name}
                    </label>
                  </td>
                  <td data-label="Author">
                    <CommentAuthor row={row} />
                  </td>
                  <td data-label="Comment">
                    <CommentContent row={row} formatTime={formatTime} />
                  </td>
                  <td data-label="Actions">
                    <RowActions row={row} status={status} page={page} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </PostForm>
      ) : (
        <p class="empty">No {STATUS_LABELS[status].toLowerCase()} comments.</p>
      )}
      <nav class="pagination" aria-label="Pages">
        {page > 1 ? (
          <a href={queueHref(status, page - 1)} rel="prev">
            Newer
          </a>
        ) : null}
        {hasNext ? (
          <a href={queueHref(status, page + 1)} rel="next">
            Older
          </a>
        ) : null}
      </nav>
    </AdminLayout>
  );
}
