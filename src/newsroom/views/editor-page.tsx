/** The article editor: every field with its error, the workflow buttons the user's role allows, and the revisions. */
import type { ArticleKind, ArticleStatus } from '../../db/schema.ts';
import type { SectionRow } from '../../db/schema.ts';
import type { RevisionListRow } from '../editorial-store.ts';
import type { EditorForm } from '../editorial.ts';
import { ErrorSummary, Field, FieldMessage, PostForm, TextArea, type FieldErrors } from '../../web/views/form.tsx';
import { articlePath } from '../../web/site.ts';
import { EDITOR_SCRIPT_PATH } from '../../web/editor-bundle.ts';
import { AdminLayout, type AdminFrame } from './admin-layout.tsx';

const LABELS: Record<string, string> = {
  kind: 'Kind', headline: 'Headline', dek: 'Dek', slug: 'Address (slug)', body_html: 'Body', dateline: 'Dateline', section: 'Section', tags: 'Tags',
  authors: 'Byline', credits: 'Credits', publish_at: 'Publish at', version: 'Version', correction: 'Correction',
  image: 'Image file', alt: 'Alt text', caption: 'Caption', credit: 'Photo credit',
};

export interface EditorPageProps {
  frame: AdminFrame;
  /** Undefined for a new article. */
  article?: { id: number; slug: string; kind: ArticleKind; status: ArticleStatus; publishedAt: string | null; version: number };
  form: EditorForm;
  errors: FieldErrors;
  /** A message about the whole form (conflict, forbidden action, saved). */
  message?: string;
  notice?: string;
  sections: SectionRow[];
  revisions: RevisionListRow[];
  mayPublish: boolean;
  /** Corrections so far; the form to add one is shown to editors. */
  corrections: { created_at: string; text: string }[];
  mayCorrect: boolean;
  /** Text of a refused correction, shown back. */
  correctionDraft?: string;
  /** The current featured image (preview URL and texts), if any. */
  featured?: { src: string; alt: string; caption: string; credit: string };
  /** Texts typed in a refused featured-image form. */
  featuredDraft?: { alt: string; caption: string; credit: string };
  timeZone: string;
  formatTime: (iso: string) => string;
}

/** A select of fixed options (value, label); the first is chosen when `value` matches none. */
function Choice({ name, label, value, options, hint }: { name: string; label: string; value: string; options: [string, string][]; hint?: string }) {
  const chosen = options.some(([v]) => v === value) ? value : options[0]![0];
  return (
    <div class="field">
      <label for={name}>{label}</label>
      {hint ? (
        <p class="field-hint" id={`${name}-hint`}>
          {hint}
        </p>
      ) : null}
      <select id={name} name={name} aria-describedby={hint ? `${name}-hint` : undefined}>
        {options.map(([v, text]) => (
          <option value={v} selected={v === chosen}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

export function EditorPage(props: EditorPageProps) {
  const { frame, article, form, errors, sections } = props;
  const noun = form.kind === 'page' ? 'page' : 'article';
  const title = article ? `Edit: ${form.headline || 'untitled'}` : `New ${noun}`;
  const live = article?.status === 'published' || article?.status === 'scheduled';
  return (
    <AdminLayout frame={frame} title={title} scripts={[EDITOR_SCRIPT_PATH]}>
      <div class="editor-head">
        <h1>{article ? `Edit ${noun}` : `New ${noun}`}</h1>
        {article ? (
          <p class="editor-status">
            <span class={`status status-${article.status}`}>{article.status}</span> version {article.version}
            {article.status === 'published' ? (
              <>
                {' · '}
                <a href={articlePath(article)}>View on the site</a>
              </>
            ) : null}
            {article.status === 'scheduled' && article.publishedAt ? ` · publishes ${props.formatTime(article.publishedAt)}` : null}
            {' · '}
            <a href={`/admin/articles/${article.id}/preview`}>Preview</a>
          </p>
        ) : null}
      </div>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <ErrorSummary errors={errors} labels={LABELS} message={props.message} title={props.message && !Object.keys(errors).length ? 'Not saved' : 'There is a problem'} />
      <PostForm action={article ? `/admin/articles/${article.id}` : '/admin/articles'} csrfToken={frame.csrfToken} className="admin-form editor-form">
        <input type="hidden" name="version" value={form.version} />
        <div class="editor-main">
          <Field name="headline" label="Headline" errors={errors} value={form.headline} required maxLength={300} />
          <Field name="dek" label="Dek" errors={errors} value={form.dek} hint="One sentence under the headline; also the page description." maxLength={400} />
          <TextArea name="body_html" label="Body" value={form.body_html} errors={errors} rows={18} hint="Links, emphasis, lists, quotes and subheadings are kept; anything else is removed when saved. (Without JavaScript this is HTML: write paragraphs as <p>…</p>.)" />
          <TextArea name="credits" label="Credits" value={form.credits} errors={errors} rows={2} hint="One per line, e.g. “Jane Doe contributed research.”" />
        </div>
        <div class="editor-side">
          <Choice
            name="kind"
            label="Kind"
            value={form.kind}
            options={[['article', 'Article'], ['page', 'Page']]}
            hint="A page (“About us”, “Contact”) lives at /pages/…, without byline or dateline, and is never listed on the front page, in sections or in feeds."
          />
          <Field name="slug" label="Address (slug)" errors={errors} value={form.slug} hint={article ? 'Changing it keeps the old address working (301 redirect).' : 'Leave empty to make one from the headline.'} />
          <div class="field">
            <label for="section">Section</label>
            <select id="section" name="section" aria-invalid={errors.section ? 'true' : undefined} aria-describedby={errors.section ? 'section-error' : undefined}>
              <option value="">No section</option>
              {sections.map((s) => (
                <option value={s.slug} selected={form.section === s.slug}>
                  {s.name}
                </option>
              ))}
            </select>
            <FieldMessage name="section" errors={errors} />
          </div>
          <Field name="authors" label="Byline" errors={errors} value={form.authors} hint="Names in byline order, separated by commas." />
          <Field name="dateline" label="Dateline" errors={errors} value={form.dateline} hint="Place, e.g. VALMORA." maxLength={80} />
          <Field name="tags" label="Tags" errors={errors} value={form.tags} hint="Separated by commas." />
          <Choice name="comment_status" label="Comments" value={form.comment_status} options={[['open', 'Open'], ['closed', 'Closed']]} />
          {props.mayPublish ? (
            <Field name="publish_at" label={`Publish at (${props.timeZone})`} type="datetime-local" errors={errors} value={form.publish_at} hint="For scheduling; empty publishes now." />
          ) : (
            <input type="hidden" name="publish_at" value={form.publish_at} />
          )}
          <div class="editor-actions">
            <button type="submit" name="action" value="save" class="button-secondary">
              {live ? 'Save changes' : article?.status === 'pending' ? 'Save' : 'Save draft'}
            </button>
            {!live && article?.status !== 'pending' ? (
              <button type="submit" name="action" value="submit" class="button-secondary">
                Submit for review
              </button>
            ) : null}
            {props.mayPublish ? (
              <>
                <button type="submit" name="action" value="schedule" class="button-secondary">
                  Schedule
                </button>
                <button type="submit" name="action" value="publish" class="button-primary">
                  {article?.status === 'published' ? 'Update' : 'Publish now'}
                </button>
                {live ? (
                  <button type="submit" name="action" value="unpublish" class="button-secondary">
                    Unpublish
                  </button>
                ) : null}
              </>
            ) : null}
          </div>
        </div>
      </PostForm>
      {article ? (
        <section class="admin-panel featured-panel" aria-labelledby="featured-heading">
          <h2 id="featured-heading">Featured image</h2>
          {props.featured ? <img class="featured-preview" src={props.featured.src} alt={props.featured.alt} /> : <p>None yet.</p>}
          <PostForm action={`/admin/articles/${article.id}/featured-image`} csrfToken={frame.csrfToken} multipart>
            <div class="field">
              <label for="image">{props.featured ? 'Replace with' : 'Image file'}</label>
              <p class="field-hint" id="image-hint">
                JPEG, PNG, WebP, AVIF or GIF, up to 15 MB. Location and camera data are removed.
              </p>
              <input id="image" name="image" type="file" accept="image/jpeg,image/png,image/webp,image/avif,image/gif" aria-describedby={errors.image ? 'image-error image-hint' : 'image-hint'} aria-invalid={errors.image ? 'true' : undefined} />
              <FieldMessage name="image" errors={errors} />
            </div>
            <Field name="alt" label="Alt text" errors={errors} value={props.featuredDraft?.alt ?? props.featured?.alt} required hint="What the image shows, for readers who cannot see it." maxLength={300} />
            <Field name="caption" label="Caption" errors={errors} value={props.featuredDraft?.caption ?? props.featured?.caption} maxLength={600} />
            <Field name="credit" label="Photo credit" errors={errors} value={props.featuredDraft?.credit ?? props.featured?.credit} maxLength={200} hint="E.g. “Jane Doe for The World News”." />
            {props.featured ? (
              <div class="field checkbox">
                <input id="remove" name="remove" type="checkbox" value="1" />
                <label for="remove">Remove the featured image</label>
              </div>
            ) : null}
            <button type="submit" class="button-secondary">
              Save image
            </button>
          </PostForm>
        </section>
      ) : null}
      {article && (props.mayCorrect || props.corrections.length) ? (
        <section class="admin-panel corrections" aria-labelledby="corrections-heading">
          <h2 id="corrections-heading">Corrections</h2>
          {props.corrections.length ? (
            <ul>
              {props.corrections.map((c) => (
                <li>
                  <time datetime={c.created_at}>{props.formatTime(c.created_at)}</time>: {c.text}
                </li>
              ))}
            </ul>
          ) : (
            <p>None. A correction is shown at the foot of the article, with its date, for good.</p>
          )}
          {props.mayCorrect ? (
            <PostForm action={`/admin/articles/${article.id}/corrections`} csrfToken={frame.csrfToken}>
              <TextArea name="correction" label="Add a correction" value={props.correctionDraft ?? ''} errors={errors} rows={3} hint="What was wrong and what is right, e.g. “An earlier version of this article misstated the date of the vote.”" />
              <button type="submit" class="button-secondary">
                Publish correction
              </button>
            </PostForm>
          ) : null}
        </section>
      ) : null}
      {article && (article.status === 'draft' || article.status === 'pending' || (article.status === 'unpublished' && article.publishedAt === null)) ? (
        <PostForm action={`/admin/articles/${article.id}/delete`} csrfToken={frame.csrfToken} className="inline-form delete-form">
          <button type="submit" class="button-link danger">
            Delete this {article.status === 'pending' ? 'submission' : 'draft'}
          </button>
        </PostForm>
      ) : null}
      {article && props.revisions.length ? (
        <section class="admin-panel revisions" aria-labelledby="revisions-heading">
          <h2 id="revisions-heading">Revisions</h2>
          <ol>
            {props.revisions.map((r) => (
              <li>
                <a href={`/admin/articles/${article.id}/revisions/${r.id}`}>Version {r.version}</a>
                <span>
                  , {props.formatTime(r.created_at)}, {r.user_name ?? 'someone'}: {r.summary}
                </span>
                {r.version !== article.version ? (
                  <PostForm action={`/admin/articles/${article.id}/revisions/${r.id}/restore`} csrfToken={frame.csrfToken} className="inline-form">
                    <input type="hidden" name="version" value={String(article.version)} />
                    <button type="submit" class="button-link">
                      Restore version {r.version}
                    </button>
                  </PostForm>
                ) : (
                  <span class="current"> (current)</span>
                )}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </AdminLayout>
  );
}
