/**
 * Accessible form parts shared by every form: an error summary (role=alert) linking to the fields, and labelled
 * fields whose messages are tied by aria-describedby. Values are shown back as typed.
 */
import type { ComponentChildren } from 'preact';

export type FieldErrors = Record<string, string>;

export function ErrorSummary({ errors, labels, title = 'There is a problem', message }: { errors: FieldErrors; labels: Record<string, string>; title?: string; message?: string }) {
  const problems = Object.entries(errors);
  if (!problems.length && !message) return null;
  return (
    // Focused when the page loads (autofocus, no script needed), so a keyboard or screen-reader user starts at the
    // list of problems, each a link to its field; role="alert" announces it.
    <div class="error-summary" role="alert" tabIndex={-1} id="error-summary" autofocus>
      <h2>{title}</h2>
      {message ? <p>{message}</p> : null}
      {problems.length ? (
        <ul>
          {problems.map(([field, text]) => (
            <li>
              <a href={`#${field}`}>
                {labels[field] ?? field}: {text}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export interface FieldProps {
  name: string;
  label: string;
  errors: FieldErrors;
  value?: string;
  type?: 'text' | 'email' | 'password' | 'url' | 'datetime-local';
  autocomplete?: string;
  required?: boolean;
  hint?: string;
  maxLength?: number;
}

/** A labelled input with its hint and error message. */
export function Field({ name, label, errors, value, type = 'text', autocomplete, required, hint, maxLength }: FieldProps) {
  const describedBy = [errors[name] ? `${name}-error` : '', hint ? `${name}-hint` : ''].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={name}>
        {label}
        {required ? (
          <span class="required" aria-hidden="true">
            {' '}
            *
          </span>
        ) : null}
      </label>
      {hint ? (
        <p class="field-hint" id={`${name}-hint`}>
          {hint}
        </p>
      ) : null}
      <input
        id={name}
        name={name}
        type={type}
        value={type === 'password' ? undefined : value}
        autocomplete={autocomplete}
        required={required}
        maxLength={maxLength}
        aria-invalid={errors[name] ? 'true' : undefined}
        aria-describedby={describedBy || undefined}
      />
      <FieldMessage name={name} errors={errors} />
    </div>
  );
}

/** A labelled textarea with its hint and error message; the label has an id for rich-text editors to point at. */
export function TextArea({ name, label, value, errors, rows, hint }: { name: string; label: string; value: string; errors: FieldErrors; rows: number; hint?: string }) {
  const describedBy = [errors[name] ? `${name}-error` : '', hint ? `${name}-hint` : ''].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={name} id={`${name}-label`}>
        {label}
      </label>
      {hint ? (
        <p class="field-hint" id={`${name}-hint`}>
          {hint}
        </p>
      ) : null}
      <textarea id={name} name={name} rows={rows} aria-invalid={errors[name] ? 'true' : undefined} aria-describedby={describedBy || undefined}>
        {value}
      </textarea>
      <FieldMessage name={name} errors={errors} />
    </div>
  );
}

export function FieldMessage({ name, errors }: { name: string; errors: FieldErrors }) {
  return errors[name] ? (
    <p class="field-error" id={`${name}-error`}>
      {errors[name]}
    </p>
  ) : null;
}

/** A POST form carrying the CSRF token. */
export function PostForm({ action, csrfToken, children, className, multipart }: { action: string; csrfToken: string; children: ComponentChildren; className?: string; multipart?: boolean }) {
  return (
    <form method="post" action={action} class={className ?? 'admin-form'} noValidate enctype={multipart ? 'multipart/form-data' : undefined}>
      <input type="hidden" name="_csrf" value={csrfToken} />
      {children}
    </form>
  );
}
