/** API keys (admins): the keys and tokens with their scopes and use, a new key's secret shown once, and the form. */
import type { ApiTokenListRow } from '../tokens-store.ts';
import { API_SCOPES, SCOPE_DESCRIPTIONS } from '../scopes.ts';
import { AdminLayout, type AdminFrame } from '../../../newsroom/views/admin-layout.tsx';
import { ErrorSummary, Field, FieldMessage, PostForm, type FieldErrors } from '../../../web/views/form.tsx';

const LABELS: Record<string, string> = { name: 'Name', scopes: 'Scopes' };

export interface ApiKeysPageProps {
  frame: AdminFrame;
  keys: ApiTokenListRow[];
  values: { name: string; scopes: string[] };
  errors: FieldErrors;
  /** The key just created: its secret appears on this page only. */
  created?: { name: string; secret: string };
  notice?: string;
  formatTime: (iso: string) => string;
}

/** The page: intro, the secret of a key just created, the key table with revoke buttons, and the create form. */
export function ApiKeysPage({ frame, keys, values, errors, created, notice, formatTime }: ApiKeysPageProps) {
  return (
    <AdminLayout frame={frame} title="API keys">
      <h1>API keys</h1>
      <p>
        Keys let other programs use the <a href="/api/v1/openapi.json">content API</a>. A key acts as the person who created it, with the newsroom role they
        have when it is used; it can do only what its scopes allow.
      </p>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      {created ? (
        <section class="admin-panel" role="status" aria-labelledby="secret-heading">
          <h2 id="secret-heading">Key “{created.name}” created</h2>
          <p>Copy it now: it is not stored and will not be shown again. Send it as <code>Authorization: Bearer …</code>.</p>
          <label for="new-secret">The new key</label>
          <input id="new-secret" class="api-secret" value={created.secret} readOnly size={60} />
        </section>
      ) : null}
      <table class="admin-table">
        <caption class="visually-hidden">API keys</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Scopes</th>
            <th scope="col">Acts as</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <tr>
              <td>
                {k.name} <span class="field-hint">(…{k.hint})</span>
              </td>
              <td>{k.scopes.split(' ').join(', ')}</td>
              <td>{k.user_name ?? '—'}</td>
              <td>{formatTime(k.created_at)}</td>
              <td>{k.last_used_at ? formatTime(k.last_used_at) : 'never'}</td>
              <td>
                {k.revoked_at ? (
                  `revoked ${formatTime(k.revoked_at)}`
                ) : (
                  <PostForm action={`/admin/api-keys/${k.id}/revoke`} csrfToken={frame.csrfToken} className="row-form">
                    <button type="submit" class="button-link">
                      Revoke {k.name}
                    </button>
                  </PostForm>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {keys.length ? null : <p>No keys yet.</p>}
      <section class="admin-panel" aria-labelledby="create-heading">
        <h2 id="create-heading">Create a key</h2>
        <ErrorSummary errors={errors} labels={LABELS} />
        <PostForm action="/admin/api-keys" csrfToken={frame.csrfToken}>
          <Field name="name" label="Name" hint="Who or what will use it, e.g. “Apple News” or “Print desk importer”." errors={errors} value={values.name} required maxLength={100} />
          <fieldset id="scopes" aria-describedby={errors.scopes ? 'scopes-error' : undefined}>
            <legend>Scopes</legend>
            {API_SCOPES.map((scope) => (
              <div class="field checkbox-field">
                <div class="checkbox">
                  <input id={`scope-${scope}`} name="scopes" type="checkbox" value={scope} checked={values.scopes.includes(scope)} />
                  <label for={`scope-${scope}`}>
                    <code>{scope}</code>: {SCOPE_DESCRIPTIONS[scope]}
                  </label>
                </div>
              </div>
            ))}
            <FieldMessage name="scopes" errors={errors} />
          </fieldset>
          <button type="submit" class="button-primary">
            Create key
          </button>
        </PostForm>
      </section>
    </AdminLayout>
  );
}
