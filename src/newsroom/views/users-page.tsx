/** User management (admins): the list of newsroom users and the invitation form. */
import type { UserRow } from '../../db/schema.ts';
import { ErrorSummary, Field, FieldMessage, PostForm, type FieldErrors } from '../../web/views/form.tsx';
import { ROLES } from '../roles.ts';
import { AdminLayout, type AdminFrame } from './admin-layout.tsx';

const LABELS: Record<string, string> = { email: 'Email', display_name: 'Name', role: 'Role' };

export function UsersPage({ frame, users, values, errors, invited }: { frame: AdminFrame; users: UserRow[]; values: Record<string, string>; errors: FieldErrors; invited?: string }) {
  return (
    <AdminLayout frame={frame} title="Users">
      <h1>Users</h1>
      {invited ? (
        <p class="notice" role="status">
          Invitation sent to {invited}.
        </p>
      ) : null}
      {errors.role && !values.email ? <ErrorSummary errors={{ role: errors.role }} labels={LABELS} /> : null}
      <table class="admin-table">
        <caption class="visually-hidden">Newsroom users</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">State</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr>
              <td>{u.display_name}</td>
              <td>{u.email}</td>
              <td>
                {u.id === frame.user?.id ? (
                  u.role
                ) : (
                  <PostForm action={`/admin/users/${u.id}`} csrfToken={frame.csrfToken} className="row-form">
                    <label for={`role-${u.id}`} class="visually-hidden">
                      Role of {u.display_name}
                    </label>
                    <select id={`role-${u.id}`} name="role">
                      {ROLES.map((role) => (
                        <option value={role} selected={u.role === role}>
                          {role}
                        </option>
                      ))}
                    </select>
                    <button type="submit" class="button-secondary">
                      Change role
                    </button>
                  </PostForm>
                )}
              </td>
              <td>{u.disabled ? 'disabled' : u.password_hash ? 'active' : 'invited'}</td>
              <td>
                {!u.password_hash && !u.disabled ? (
                  <PostForm action={`/admin/users/${u.id}/invitation`} csrfToken={frame.csrfToken} className="row-form">
                    <button type="submit" class="button-link">
                      Send the invitation again
                    </button>
                  </PostForm>
                ) : null}
                {u.id === frame.user?.id ? null : (
                  <PostForm action={`/admin/users/${u.id}`} csrfToken={frame.csrfToken} className="row-form">
                    <input type="hidden" name="disabled" value={u.disabled ? '0' : '1'} />
                    <button type="submit" class="button-link">
                      {u.disabled ? 'Enable' : 'Disable'} {u.display_name}
                    </button>
                  </PostForm>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <section class="admin-panel" aria-labelledby="invite-heading">
        <h2 id="invite-heading">Invite someone</h2>
        <ErrorSummary errors={errors} labels={LABELS} />
        <PostForm action="/admin/users/invite" csrfToken={frame.csrfToken}>
          <Field name="display_name" label="Name" errors={errors} value={values.display_name} required maxLength={100} />
          <Field name="email" label="Email" type="email" errors={errors} value={values.email} required />
          <div class="field">
            <label for="role">Role</label>
            <select id="role" name="role" aria-invalid={errors.role ? 'true' : undefined} aria-describedby={errors.role ? 'role-error' : undefined}>
              {ROLES.map((role) => (
                <option value={role} selected={(values.role ?? 'contributor') === role}>
                  {role}
                </option>
              ))}
            </select>
            <FieldMessage name="role" errors={errors} />
          </div>
          <button type="submit" class="button-primary">
            Send invitation
          </button>
        </PostForm>
      </section>
    </AdminLayout>
  );
}
