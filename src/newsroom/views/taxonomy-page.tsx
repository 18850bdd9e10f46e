/** Sections and tags management: one small form per row, a form for a new section, errors shown on the row that failed. */
import type { SectionRow, TagRow } from '../../db/schema.ts';
import { ErrorSummary, PostForm, type FieldErrors } from '../../web/views/form.tsx';
import { AdminLayout, type AdminFrame } from './admin-layout.tsx';

export interface TaxonomyPageProps {
  frame: AdminFrame;
  sections: SectionRow[];
  tags: TagRow[];
  /** Which row's form failed (`section-new`, `section-5`, `tag-3`), with its typed values and errors. */
  failed?: { target: string; values: Record<string, string>; errors: FieldErrors };
  notice?: string;
}

const LABELS = { name: 'Name', slug: 'Address (slug)', description: 'Description', position: 'Order' };

function Input({ id, name, label, value, failed, target, size }: { id: string; name: string; label: string; value: string; failed?: TaxonomyPageProps['failed']; target: string; size?: number }) {
  const mine = failed?.target === target;
  const error = mine ? failed.errors[name] : undefined;
  return (
    <span class="inline-field">
      <label for={id} class="visually-hidden">
        {label}
      </label>
      <input id={id} name={name} value={mine ? (failed.values[name] ?? '') : value} size={size} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${id}-error` : undefined} />
      {error ? (
        <span class="field-error" id={`${id}-error`}>
          {error}
        </span>
      ) : null}
    </span>
  );
}

/** The four fields of a section's row form (name, slug, description, order). */
function SectionFields({ target, of, values, failed }: { target: string; of: string; values: { name: string; slug: string; description: string; position: string }; failed?: TaxonomyPageProps['failed'] }) {
  return (
    <>
      <Input id={`${target}-name`} name="name" label={`Name of ${of}`} value={values.name} failed={failed} target={target} />
      <Input id={`${target}-slug`} name="slug" label={`Address of ${of}`} value={values.slug} failed={failed} target={target} />
      <Input id={`${target}-description`} name="description" label={`Description of ${of}`} value={values.description} failed={failed} target={target} size={30} />
      <Input id={`${target}-position`} name="position" label={`Order of ${of}`} value={values.position} failed={failed} target={target} size={3} />
    </>
  );
}

export function TaxonomyPage({ frame, sections, tags, failed, notice }: TaxonomyPageProps) {
  return (
    <AdminLayout frame={frame} title="Sections and tags">
      <h1>Sections and tags</h1>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      {failed ? <ErrorSummary errors={Object.fromEntries(Object.entries(failed.errors).map(([k, v]) => [`${failed.target}-${k}`, v]))} labels={Object.fromEntries(Object.entries(LABELS).map(([k, v]) => [`${failed.target}-${k}`, v]))} /> : null}
      <section aria-labelledby="sections-heading">
        <h2 id="sections-heading">Sections</h2>
        <table class="admin-table taxonomy-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Address</th>
              <th scope="col">Description</th>
              <th scope="col">Order</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sections.map((s) => {
              const target = `section-${s.id}`;
              return (
                <tr>
                  <td colSpan={5}>
                    <PostForm action={`/admin/sections/${s.id}`} csrfToken={frame.csrfToken} className="row-form">
                      <SectionFields target={target} of={s.name} values={{ ...s, position: String(s.position) }} failed={failed} />
                      <button type="submit" class="button-secondary">
                        Save
                      </button>
                      <button type="submit" class="button-link danger" formaction={`/admin/sections/${s.id}/delete`}>
                        Delete
                      </button>
                    </PostForm>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <h3>New section</h3>
        <PostForm action="/admin/sections" csrfToken={frame.csrfToken} className="row-form">
          <SectionFields target="section-new" of="the new section" values={{ name: '', slug: '', description: '', position: String(sections.length) }} failed={failed} />
          <button type="submit" class="button-primary">
            Add section
          </button>
        </PostForm>
      </section>
      <section aria-labelledby="tags-heading">
        <h2 id="tags-heading">Tags</h2>
        {tags.length ? (
          <table class="admin-table taxonomy-table">
            <tbody>
              {tags.map((t) => {
                const target = `tag-${t.id}`;
                return (
                  <tr>
                    <td>
                      <PostForm action={`/admin/tags/${t.id}`} csrfToken={frame.csrfToken} className="row-form">
                        <Input id={`${target}-name`} name="name" label={`Name of tag ${t.name}`} value={t.name} failed={failed} target={target} />
                        <Input id={`${target}-slug`} name="slug" label={`Address of tag ${t.name}`} value={t.slug} failed={failed} target={target} />
                        <button type="submit" class="button-secondary">
                          Save
                        </button>
                        <button type="submit" class="button-link danger" formaction={`/admin/tags/${t.id}/delete`}>
                          Delete
                        </button>
                      </PostForm>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ) : (
          <p>No tags yet; they are created from the editor.</p>
        )}
      </section>
    </AdminLayout>
  );
}
