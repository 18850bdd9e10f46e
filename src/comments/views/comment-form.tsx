/**
 * The classic comment form (fields author, email, url, comment; autocomplete name/email/url). On error it shows an
 * error summary (role=alert) linking to each field, messages tied by aria-describedby, and every typed value back.
 */
import type { CommentFormValues } from '../form.ts';
import { COMMENT_LIMITS } from '../form.ts';
import { FORM_TIME_FIELD, HONEYPOT_FIELD } from '../defences/form-token.ts';

export interface CommentFormState {
  action: string;
  values: CommentFormValues;
  /** Field name → message. */
  errors: Record<string, string>;
  /** A message about the whole form (sent from another site, comments closed). */
  formError?: string;
  /** The comment being replied to, when any. */
  replyTo?: { id: number; authorName: string };
  cancelReplyHref: string;
  /** Signed time the form was served (comments/defences/form-token.ts). */
  formTime: string;
  /** Longest comment in characters (setting). */
  maxLength: number;
}

/**
 * Id of the error summary, and the fragment of the form's action: after a refused post (422, 403, 409, 429) the
 * browser lands on the summary and focuses it (HTML "scroll to the fragment" runs the focusing steps on a
 * tabindex=-1 target), so the reader sees and hears what went wrong, without any script. A post that succeeds is
 * redirected (303) to a Location with its own fragment, which wins.
 */
export const ERROR_SUMMARY_ID = 'comment-errors';

const FIELD_LABELS: Record<string, string> = { author: 'Name', email: 'Email', url: 'Website', comment: 'Comment', comment_parent: 'Reply' };

function fieldProps(name: string, errors: Record<string, string>) {
  return errors[name] ? { 'aria-invalid': 'true' as const, 'aria-describedby': `${name}-error` } : {};
}

function FieldError({ name, errors }: { name: string; errors: Record<string, string> }) {
  return errors[name] ? (
    <p class="field-error" id={`${name}-error`}>
      {errors[name]}
    </p>
  ) : null;
}

export function CommentForm({ state }: { state: CommentFormState }) {
  const { values, errors } = state;
  const problems = Object.entries(errors);
  return (
    <div class="comment-respond" id="respond">
      <h3 class="comment-reply-title">
        {state.replyTo ? `Reply to ${state.replyTo.authorName}` : 'Add a Comment'}
        {state.replyTo ? (
          <>
            {' '}
            <a class="cancel-reply" href={state.cancelReplyHref}>
              Cancel reply
            </a>
          </>
        ) : null}
      </h3>
      {problems.length || state.formError ? (
        <div class="error-summary" role="alert" tabIndex={-1} id={ERROR_SUMMARY_ID}>
          <h4>Your comment was not posted</h4>
          {state.formError ? <p>{state.formError}</p> : null}
          {problems.length ? (
            <ul>
              {problems.map(([field, message]) => (
                <li>
                  <a href={`#${field === 'comment_parent' ? 'comment' : field}`}>
                    {FIELD_LABELS[field] ?? field}: {message}
                  </a>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <form method="post" action={`${state.action}#${ERROR_SUMMARY_ID}`} class="comment-form" noValidate>
        <p class="comment-notes">
          <span id="email-notes">Your email address will not be published.</span> Required fields are marked <span aria-hidden="true">*</span>
        </p>
        <div class="comment-form-comment">
          <label for="comment">
            Comment <span class="required" aria-hidden="true">*</span>
          </label>
          <textarea id="comment" name="comment" rows={7} required aria-describedby={errors.comment ? 'comment-error comment-format' : 'comment-format'} {...(errors.comment ? { 'aria-invalid': 'true' as const } : {})}>
            {values.comment}
          </textarea>
          <FieldError name="comment" errors={errors} />
          <p class="field-hint" id="comment-format">
            Up to {state.maxLength.toLocaleString('en')} characters. Blank lines separate paragraphs; *asterisks* for emphasis, &gt; at the start of a line to quote; addresses starting with http:// or https:// become links.
          </p>
        </div>
        <div class="comment-form-author">
          <label for="author">
            Name <span class="required" aria-hidden="true">*</span>
          </label>
          <input id="author" name="author" type="text" autocomplete="name" maxLength={COMMENT_LIMITS.author} required value={values.author} {...fieldProps('author', errors)} />
          <FieldError name="author" errors={errors} />
        </div>
        <div class="comment-form-email">
          <label for="email">
            Email <span class="required" aria-hidden="true">*</span>
          </label>
          <input
            id="email"
            name="email"
            type="email"
            autocomplete="email"
            maxLength={COMMENT_LIMITS.email}
            required
            value={values.email}
            aria-describedby={errors.email ? 'email-error email-notes' : 'email-notes'}
            {...(errors.email ? { 'aria-invalid': 'true' as const } : {})}
          />
          <FieldError name="email" errors={errors} />
        </div>
        <div class="comment-form-url">
          <label for="url">Website</label>
          <input id="url" name="url" type="url" autocomplete="url" maxLength={COMMENT_LIMITS.url} value={values.url} {...fieldProps('url', errors)} />
          <FieldError name="url" errors={errors} />
        </div>
        <div class="comment-form-homepage" aria-hidden="true">
          <label for={HONEYPOT_FIELD}>Leave this field empty</label>
          <input id={HONEYPOT_FIELD} name={HONEYPOT_FIELD} type="text" tabIndex={-1} autocomplete="off" value="" />
        </div>
        <p class="comment-form-cookies-consent">
          <input id="remember" name="remember" type="checkbox" value="yes" checked={!!values.remember} />{' '}
          <label for="remember">Save my name, email and website in this browser for the next time I comment.</label>
        </p>
        <p class="comment-form-notify">
          <input id="notify_replies" name="notify_replies" type="checkbox" value="yes" checked={!!values.notify_replies} />{' '}
          <label for="notify_replies">Notify me of replies by email.</label>
        </p>
        <input type="hidden" name={FORM_TIME_FIELD} value={state.formTime} />
        <input type="hidden" name="comment_parent" value={state.replyTo ? String(state.replyTo.id) : errors.comment_parent ? '0' : values.comment_parent || '0'} />
        <p class="form-submit">
          <button type="submit" class="submit">
            Post Comment
          </button>
        </p>
      </form>
    </div>
  );
}
