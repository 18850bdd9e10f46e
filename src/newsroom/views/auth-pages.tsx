/** Sign-in, first-run setup, forgotten password and set-password pages of the newsroom. */
import { ErrorSummary, Field, PostForm, type FieldErrors } from '../../web/views/form.tsx';
import { PASSWORD_LIMITS } from '../passwords.ts';
import { AdminLayout, type AdminFrame } from './admin-layout.tsx';

const LABELS: Record<string, string> = { email: 'Email', password: 'Password', display_name: 'Name', token: 'Link', role: 'Role' };
const PASSWORD_HINT = `At least ${PASSWORD_LIMITS.min} characters. A phrase of several words is easy to remember and hard to guess.`;

export function SetupPage({ frame, values, errors }: { frame: AdminFrame; values: Record<string, string>; errors: FieldErrors }) {
  return (
    <AdminLayout frame={frame} title="Set up">
      <div class="admin-narrow">
        <h1>Welcome to {frame.siteName}</h1>
        <p>Nobody has an account yet. Create the first administrator; this form is shown only once.</p>
        <ErrorSummary errors={errors} labels={LABELS} />
        <PostForm action="/admin/setup" csrfToken={frame.csrfToken}>
          <Field name="display_name" label="Name" errors={errors} value={values.display_name} autocomplete="name" required maxLength={100} />
          <Field name="email" label="Email" type="email" errors={errors} value={values.email} autocomplete="email" required />
          <Field name="password" label="Password" type="password" errors={errors} autocomplete="new-password" required hint={PASSWORD_HINT} />
          <button type="submit" class="button-primary">
            Create administrator
          </button>
        </PostForm>
      </div>
    </AdminLayout>
  );
}

export function LoginPage({ frame, values, errors, message, next }: { frame: AdminFrame; values: Record<string, string>; errors: FieldErrors; message?: string; next: string }) {
  return (
    <AdminLayout frame={frame} title="Sign in">
      <div class="admin-narrow">
        <h1>Sign in</h1>
        {message && !Object.keys(errors).length ? (
          <p class="notice" role="status">
            {message}
          </p>
        ) : null}
        <ErrorSummary errors={errors} labels={LABELS} message={Object.keys(errors).length ? message : undefined} />
        <PostForm action="/admin/login" csrfToken={frame.csrfToken}>
          <input type="hidden" name="next" value={next} />
          <Field name="email" label="Email" type="email" errors={errors} value={values.email} autocomplete="username" required />
          <Field name="password" label="Password" type="password" errors={errors} autocomplete="current-password" required />
          <button type="submit" class="button-primary">
            Sign in
          </button>
        </PostForm>
        <p class="form-links">
          <a href="/admin/password/forgot">Forgotten your password?</a>
        </p>
      </div>
    </AdminLayout>
  );
}

export function ForgotPasswordPage({ frame, values, errors, sent }: { frame: AdminFrame; values: Record<string, string>; errors: FieldErrors; sent: boolean }) {
  return (
    <AdminLayout frame={frame} title="Reset your password">
      <div class="admin-narrow">
        <h1>Reset your password</h1>
        {sent ? (
          <p class="notice" role="status">
            If {values.email} belongs to an account, a link to choose a new password is on its way. It works for one hour.
          </p>
        ) : (
          <>
            <p>Enter the email address of your account and we will send you a link to choose a new password.</p>
            <ErrorSummary errors={errors} labels={LABELS} />
            <PostForm action="/admin/password/forgot" csrfToken={frame.csrfToken}>
              <Field name="email" label="Email" type="email" errors={errors} value={values.email} autocomplete="username" required />
              <button type="submit" class="button-primary">
                Send the link
              </button>
            </PostForm>
          </>
        )}
        <p class="form-links">
          <a href="/admin/login">Back to sign in</a>
        </p>
      </div>
    </AdminLayout>
  );
}

export function SetPasswordPage({ frame, purpose, token, errors, usable }: { frame: AdminFrame; purpose: 'reset' | 'invite'; token: string; errors: FieldErrors; usable: boolean }) {
  const action = purpose === 'reset' ? '/admin/password/reset' : '/admin/invitation';
  const heading = purpose === 'reset' ? 'Choose a new password' : 'Accept your invitation';
  return (
    <AdminLayout frame={frame} title={heading}>
      <div class="admin-narrow">
        <h1>{heading}</h1>
        {usable ? (
          <>
            <ErrorSummary errors={errors} labels={LABELS} />
            <PostForm action={action} csrfToken={frame.csrfToken}>
              <input type="hidden" name="token" value={token} />
              <Field name="password" label="New password" type="password" errors={errors} autocomplete="new-password" required hint={PASSWORD_HINT} />
              <button type="submit" class="button-primary">
                Save password
              </button>
            </PostForm>
          </>
        ) : (
          <p class="notice" role="alert">
            This link has expired or was already used. <a href="/admin/password/forgot">Ask for a new one</a>.
          </p>
        )}
      </div>
    </AdminLayout>
  );
}

/** Shown (401) when a form was posted after the session ended: the browser kept the unsaved text. */
export function SessionEndedPage({ frame, next }: { frame: AdminFrame; next: string }) {
  return (
    <AdminLayout frame={frame} title="Session ended">
      <div class="admin-narrow">
        <h1>Your session has ended</h1>
        <p>Nothing was saved. This browser kept a copy of what you wrote: sign in again and the editor offers to restore it.</p>
        <p>
          <a class="button-primary" href={`/admin/login?next=${encodeURIComponent(next)}&expired=1`}>
            Sign in again
          </a>
        </p>
      </div>
    </AdminLayout>
  );
}

/** The signed-in user's own account: change the password. */
export function AccountPage({ frame, errors, saved }: { frame: AdminFrame; errors: FieldErrors; saved: boolean }) {
  return (
    <AdminLayout frame={frame} title="Your account">
      <div class="admin-narrow">
        <h1>Your account</h1>
        <p>
          {frame.user?.displayName} ({frame.user?.email}), {frame.user?.role}
        </p>
        {saved ? (
          <p class="notice" role="status">
            Password changed. You were signed out everywhere else.
          </p>
        ) : null}
        <ErrorSummary errors={errors} labels={{ current_password: 'Current password', new_password: 'New password' }} />
        <PostForm action="/admin/account" csrfToken={frame.csrfToken}>
          <Field name="current_password" label="Current password" type="password" errors={errors} autocomplete="current-password" required />
          <Field name="new_password" label="New password" type="password" errors={errors} autocomplete="new-password" required hint={PASSWORD_HINT} />
          <button type="submit" class="button-primary">
            Change password
          </button>
        </PostForm>
      </div>
    </AdminLayout>
  );
}
