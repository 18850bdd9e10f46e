/** A moderator's edit of a comment (name, email, website, text, validated as for readers) and its decision history. */
import { AdminLayout, type AdminFrame } from '../../../newsroom/views/admin-layout.tsx';
import { ErrorSummary, Field, PostForm, TextArea, type FieldErrors } from '../../../web/views/form.tsx';
import { paths } from '../../../web/site.ts';
import type { CommentEventView, ModerationRow } from '../queue-store.ts';
import { TAB_ACTIONS } from '../queue-actions.ts';
import { StatusBadge } from './comment-parts.tsx';
import { queueHref } from './queue-page.tsx';

/** The form's fields, named as on the reader's form so validateCommentForm's errors land on them. */
export interface CommentEditValues {
  author: string;
  email: string;
  url: string;
  comment: string;
}

const LABELS: Record<string, string> = { author: 'Name', email: 'Email', url: 'Website', comment: 'Text' };

export interface EditPageProps {
  frame: AdminFrame;
  row: ModerationRow;
  values: CommentEditValues;
  errors: FieldErrors;
  events: CommentEventView[];
  saved: boolean;
  formatTime: (iso: string) => string;
}

export function EditPage({ frame, row, values, errors, events, saved, formatTime }: EditPageProps) {
  return (
    <AdminLayout frame={frame} title={`Edit comment ${row.id}`}>
      <h1>Edit comment {row.id}</h1>
      <p class="comment-edit-meta">
        <StatusBadge status={row.status} /> On <a href={`${paths.article(row.slug)}#comment-${row.id}`}>{row.headline}</a>, <time datetime={row.created_at}>{formatTime(row.created_at)}</time>
        {row.edited_at ? <>, last edited <time datetime={row.edited_at}>{formatTime(row.edited_at)}</time></> : null}. <a href={queueHref(row.status)}>Back to the queue</a>
      </p>
      <PostForm action={`/admin/comments/${row.id}/edit`} csrfToken={frame.csrfToken} className="comment-edit-actions">
        <input type="hidden" name="return_to" value={`/admin/comments/${row.id}/edit`} />
        {TAB_ACTIONS[row.status].map(({ action, label }) => (
          <button type="submit" class={action === 'approve' ? 'button-primary' : 'button-secondary'} formaction={`/admin/comments/${row.id}/${action}`}>
            {label}
          </button>
        ))}
      </PostForm>
      {saved ? (
        <p class="notice" role="status">
          Comment saved.
        </p>
      ) : null}
      <ErrorSummary errors={errors} labels={LABELS} />
      {row.erased_at ? (
        <p>This commenter’s data was erased; the comment stays as “[deleted]” because of its replies and cannot be edited.</p>
      ) : (
        <PostForm action={`/admin/comments/${row.id}/edit`} csrfToken={frame.csrfToken}>
          <Field name="author" label="Name" value={values.author} errors={errors} required />
          <Field name="email" label="Email" type="email" value={values.email} errors={errors} required hint="Never published." />
          <Field name="url" label="Website" type="url" value={values.url} errors={errors} />
          <TextArea name="comment" label="Text" value={values.comment} errors={errors} rows={10} hint="As the commenter typed it: blank lines separate paragraphs, *emphasis*, > quotes; http(s) addresses become links." />
          <button type="submit" class="button-primary">
            Save comment
          </button>
        </PostForm>
      )}
      <section aria-labelledby="history-heading" class="comment-history">
        <h2 id="history-heading">Decision history</h2>
        {events.length ? (
          <table class="admin-table history-table">
            <caption class="visually-hidden">Decisions about this comment, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Status after</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr>
                  <td data-label="When">
                    <time datetime={e.created_at}>{formatTime(e.created_at)}</time>
                  </td>
                  <td data-label="Who">{e.user_name ?? 'automatic'}</td>
                  <td data-label="Action">{e.action}</td>
                  <td data-label="Status after">
                    <StatusBadge status={e.status} />
                  </td>
                  <td data-label="Reason">{e.reason || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>No decisions recorded.</p>
        )}
      </section>
    </AdminLayout>
  );
}
