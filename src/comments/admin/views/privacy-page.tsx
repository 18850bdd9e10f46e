/** Commenter privacy (admins): download everything a commenter wrote under an email address, or erase it. */
import { AdminLayout, type AdminFrame } from '../../../newsroom/views/admin-layout.tsx';
import { ErrorSummary, Field, FieldMessage, PostForm, type FieldErrors } from '../../../web/views/form.tsx';
import { CommentPagesNav } from './queue-page.tsx';

export interface PrivacyPageProps {
  frame: AdminFrame;
  values: { export_email: string; erase_email: string };
  errors: FieldErrors;
  /** Counts of the last erasure. */
  result?: { erased: number; deleted: number };
}

const LABELS = { export_email: 'Email address to export', erase_email: 'Email address to erase', confirm: 'Confirmation' };

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function PrivacyPage({ frame, values, errors, result }: PrivacyPageProps) {
  return (
    <AdminLayout frame={frame} title="Commenter privacy">
      <h1>Commenter privacy</h1>
      <CommentPagesNav current="privacy" canManagePrivacy />
      {result ? (
        <p class="notice" role="status">
          {result.erased + result.deleted === 0
            ? 'No comments were written with that email address.'
            : `Erased: ${plural(result.deleted, 'comment', 'comments')} deleted, ${plural(result.erased, 'comment', 'comments')} kept as “[deleted]” because ${result.erased === 1 ? 'it has' : 'they have'} replies.`}
        </p>
      ) : null}
      <ErrorSummary errors={errors} labels={LABELS} />
      <section aria-labelledby="export-heading" class="admin-panel">
        <h2 id="export-heading">Export a commenter’s data</h2>
        <p>Downloads, as a JSON file, every comment written with the address: article, name, email, website, text, status, dates and browser.</p>
        <PostForm action="/admin/comments/privacy/export" csrfToken={frame.csrfToken}>
          <Field name="export_email" label="Email address" type="email" value={values.export_email} errors={errors} required />
          <button type="submit" class="button-primary">
            Download their comments
          </button>
        </PostForm>
      </section>
      <section aria-labelledby="erase-heading" class="admin-panel">
        <h2 id="erase-heading">Erase a commenter’s data</h2>
        <p>
          Deletes every comment written with the address. A comment that has replies stays as “[deleted]”, with no name, email, website, text or network
          data, so the replies still make sense. This cannot be undone.
        </p>
        <PostForm action="/admin/comments/privacy/erase" csrfToken={frame.csrfToken}>
          <Field name="erase_email" label="Email address" type="email" value={values.erase_email} errors={errors} required />
          <div class="field checkbox">
            <input id="confirm" name="confirm" type="checkbox" value="1" aria-invalid={errors.confirm ? 'true' : undefined} aria-describedby={errors.confirm ? 'confirm-error' : undefined} />
            <label for="confirm">I understand that erasing cannot be undone</label>
          </div>
          <FieldMessage name="confirm" errors={errors} />
          <button type="submit" class="button-primary danger-button">
            Erase their comments
          </button>
        </PostForm>
      </section>
    </AdminLayout>
  );
}
