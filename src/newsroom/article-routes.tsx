/** Newsroom handlers of the article editor: new, edit, save with a workflow action, restore a revision. */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { correctionsOf } from '../articles/store.ts';
import { getArticleForPreview } from '../articles/service.ts';
import { ArticlePage } from '../articles/views/article-page.tsx';
import { StaticPage } from '../articles/views/static-page.tsx';
import { listSections } from '../articles/taxonomy-store.ts';
import { Conflict, Forbidden, NotFound, ValidationError } from '../lib/errors.ts';
import { parseId, stringField } from '../lib/form-input.ts';
import type { AppContext } from '../web/context.ts';
import { siteView } from '../web/context.ts';
import { sendPage } from '../web/render.ts';
import { formatDateTime } from '../web/site.ts';
import { addCorrection, deleteDraft, EDITOR_ACTIONS, EMPTY_EDITOR_FORM, loadEditorForm, revisionPair, revisionAsForm, saveFromEditor, type EditorAction, type EditorForm } from './editorial.ts';
import { findArticleById, listRevisions } from './editorial-store.ts';
import { can } from './roles.ts';
import { currentUser } from './routes.tsx';
import type { AdminFrame } from './views/admin-layout.tsx';
import { EditorPage } from './views/editor-page.tsx';
import { saveFeaturedImage } from './featured-image.ts';
import { responsiveImage } from '../media/service.ts';
import { MAX_IMAGE_BYTES } from '../media/images.ts';
import { RevisionPage } from './views/revision-page.tsx';
import { diffSnapshots } from './revision-diff.ts';

type EditorRequest = FastifyRequest<{ Params: { id?: string; revisionId?: string }; Querystring: { saved?: string; against?: string; kind?: string } }>;

function editorFormOf(body: unknown): EditorForm {
  const form = { ...EMPTY_EDITOR_FORM };
  for (const key of Object.keys(form) as (keyof EditorForm)[]) form[key] = stringField(body, key);
  // Pages ("About us") are not for discussion unless the editor opens them.
  form.comment_status ||= form.kind === 'page' ? 'closed' : 'open';
  return form;
}

function actionOf(body: unknown): EditorAction {
  const action = stringField(body, 'action');
  return (EDITOR_ACTIONS as readonly string[]).includes(action) ? (action as EditorAction) : 'save';
}

function idParam(raw: string | undefined): number {
  const id = parseId(raw ?? '');
  if (id === undefined) throw new NotFound('No such article');
  return id;
}

const SAVED_NOTICES: Record<string, string> = {
  save: 'Saved.',
  submit: 'Submitted for review.',
  publish: 'Published.',
  schedule: 'Scheduled.',
  unpublish: 'Unpublished: the article is no longer on the site.',
  restore: 'Restored as a new version.',
  correction: 'Correction published at the foot of the article.',
  image: 'Featured image saved.',
  'image-removed': 'Featured image removed.',
};

export function editorHandlers(ctx: AppContext, frameOf: (request: FastifyRequest, reply: FastifyReply) => AdminFrame) {
  const deps = { db: ctx.db, clock: ctx.clock, timeZone: ctx.config.siteTimeZone, unicodeSlugs: ctx.config.slugs === 'unicode', events: ctx.events };

  async function render(
    request: EditorRequest,
    reply: FastifyReply,
    state: { id?: number; form: EditorForm; errors?: Record<string, string>; message?: string; status?: number; correctionDraft?: string; featuredDraft?: { alt: string; caption: string; credit: string } },
  ) {
    const user = currentUser(request);
    const [site, sections] = await Promise.all([siteView(ctx), listSections(ctx.db)]);
    const row = state.id === undefined ? undefined : await findArticleById(ctx.db, state.id);
    const [revisions, corrections] = row ? await Promise.all([listRevisions(ctx.db, row.id), correctionsOf(ctx.db, row.id)]) : [[], []];
    const image = row?.featured_media_id ? await responsiveImage(ctx, row.featured_media_id) : undefined;
    const featured = row && image ? { src: image.src, alt: row.featured_alt, caption: row.featured_caption, credit: row.featured_credit } : undefined;
    const page = (
      <EditorPage
        frame={frameOf(request, reply)}
        article={row && { id: row.id, slug: row.slug, kind: row.kind, status: row.status, publishedAt: row.published_at, version: row.version }}
        form={state.form}
        errors={state.errors ?? {}}
        message={state.message}
        notice={request.query.saved ? SAVED_NOTICES[request.query.saved] : undefined}
        sections={sections}
        revisions={revisions}
        mayPublish={can(user, 'article.publish.own')}
        corrections={corrections}
        mayCorrect={can(user, 'article.edit.any')}
        correctionDraft={state.correctionDraft}
        featured={featured}
        featuredDraft={state.featuredDraft}
        timeZone={ctx.config.siteTimeZone}
        formatTime={(iso) => formatDateTime(site, iso)}
      />
    );
    return sendPage(reply, page, state.status);
  }

  /** Saves and redirects, or shows the form again with what was typed and why it was not saved. */
  async function save(request: EditorRequest, reply: FastifyReply, id: number | undefined, form: EditorForm, action: EditorAction, notice: string = action) {
    try {
      const saved = await saveFromEditor(deps, currentUser(request), id, form, action);
      return reply.redirect(`/admin/articles/${saved.id}?saved=${notice}`, 303);
    } catch (error) {
      if (error instanceof ValidationError) return render(request, reply, { id, form, errors: error.fields, status: 422 });
      if (error instanceof Forbidden && id !== undefined) {
        // Someone who may not open this article gets the plain 403 page, never its editor.
        await loadEditorForm(deps, currentUser(request), id);
      }
      if (error instanceof Conflict && id !== undefined) {
        // The form now carries the saved version: saving again replaces it knowingly, after comparing.
        const current = await findArticleById(ctx.db, id);
        const message = `${error.message} Open the saved version (Preview, in a new tab) to compare; saving again replaces it with your text.`;
        return render(request, reply, { id, form: { ...form, version: String(current?.version ?? form.version) }, message, status: 409 });
      }
      if (error instanceof Forbidden) return render(request, reply, { id, form, message: error.message, status: error.status });
      throw error;
    }
  }

  return {
    async newArticle(request: EditorRequest, reply: FastifyReply) {
      // /admin/articles/new?kind=page starts a page: no byline, comments closed.
      const form = stringField(request.query, 'kind') === 'page' ? { ...EMPTY_EDITOR_FORM, kind: 'page', comment_status: 'closed' } : { ...EMPTY_EDITOR_FORM, authors: currentUser(request).displayName };
      return render(request, reply, { form });
    },
    async edit(request: EditorRequest, reply: FastifyReply) {
      const id = idParam(request.params.id);
      const { form } = await loadEditorForm(deps, currentUser(request), id);
      return render(request, reply, { id, form });
    },
    async create(request: EditorRequest, reply: FastifyReply) {
      return save(request, reply, undefined, editorFormOf(request.body), actionOf(request.body));
    },
    async update(request: EditorRequest, reply: FastifyReply) {
      return save(request, reply, idParam(request.params.id), editorFormOf(request.body), actionOf(request.body));
    },
    async correct(request: EditorRequest, reply: FastifyReply) {
      const id = idParam(request.params.id);
      const text = stringField(request.body, 'correction');
      try {
        await addCorrection(deps, currentUser(request), id, text);
        return reply.redirect(`/admin/articles/${id}?saved=correction`, 303);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        const { form } = await loadEditorForm(deps, currentUser(request), id);
        return render(request, reply, { id, form, errors: error.fields, status: 422, correctionDraft: text });
      }
    },
    async revision(request: EditorRequest, reply: FastifyReply) {
      const id = idParam(request.params.id);
      const against = parseId(stringField(request.query, 'against'));
      const pair = await revisionPair(deps, currentUser(request), id, parseId(request.params.revisionId ?? '') ?? 0, against);
      const page = <RevisionPage frame={frameOf(request, reply)} articleId={id} headline={pair.headline} version={pair.version} againstVersion={pair.againstVersion} diffs={diffSnapshots(pair.before, pair.after)} />;
      return sendPage(reply, page);
    },
    /** POST /admin/articles/:id/delete — only articles readers never saw. */
    async remove(request: EditorRequest, reply: FastifyReply) {
      const id = idParam(request.params.id);
      try {
        await deleteDraft(deps, currentUser(request), id);
        return reply.redirect('/admin?deleted=1', 303);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        const { form } = await loadEditorForm(deps, currentUser(request), id);
        return render(request, reply, { id, form, message: error.fields.headline, status: 422 });
      }
    },

    /** GET /admin/articles/:id/preview — the article as readers would see it, whatever its status. */
    async preview(request: EditorRequest, reply: FastifyReply) {
      const id = idParam(request.params.id);
      const { article } = await loadEditorForm(deps, currentUser(request), id);
      const [site, view] = await Promise.all([siteView(ctx), getArticleForPreview(ctx, id)]);
      const View = view.kind === 'page' ? StaticPage : ArticlePage;
      return sendPage(reply, <View site={site} article={view} preview={{ status: article.status, editHref: `/admin/articles/${id}` }} />);
    },

    /** POST (multipart) /admin/articles/:id/featured-image */
    async featuredImage(request: EditorRequest, reply: FastifyReply) {
      const id = idParam(request.params.id);
      const body = request.body as Record<string, unknown> | undefined;
      const image = Buffer.isBuffer(body?.image) ? body.image : Buffer.alloc(0);
      const texts = { alt: stringField(body, 'alt'), caption: stringField(body, 'caption'), credit: stringField(body, 'credit') };
      try {
        const outcome = await saveFeaturedImage(ctx, currentUser(request), id, { image, ...texts, remove: stringField(body, 'remove') });
        return reply.redirect(`/admin/articles/${id}?saved=${outcome === 'removed' ? 'image-removed' : 'image'}`, 303);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        const { form } = await loadEditorForm(deps, currentUser(request), id);
        return render(request, reply, { id, form, errors: error.fields, status: 422, featuredDraft: texts });
      }
    },

    /** Route error handler of the upload: an oversized file is a field error on the editor, not a bare 413. */
    async featuredImageRejected(error: FastifyError, request: EditorRequest, reply: FastifyReply) {
      if (error.code !== 'FST_REQ_FILE_TOO_LARGE' && error.code !== 'FST_FILES_LIMIT' && error.code !== 'FST_INVALID_MULTIPART_CONTENT_TYPE') throw error;
      const id = idParam(request.params.id);
      const { form } = await loadEditorForm(deps, currentUser(request), id);
      const message = error.code === 'FST_REQ_FILE_TOO_LARGE' ? `The file is larger than ${MAX_IMAGE_BYTES / 1048576} MB.` : 'Upload one image file with the form.';
      return render(request, reply, { id, form, errors: { image: message }, status: error.code === 'FST_REQ_FILE_TOO_LARGE' ? 413 : 400 });
    },

    async restore(request: EditorRequest, reply: FastifyReply) {
      const id = idParam(request.params.id);
      const form = await revisionAsForm(deps, currentUser(request), id, parseId(request.params.revisionId ?? '') ?? 0);
      // The restore is based on the version the user was looking at, so it too is refused if someone saved since.
      const basedOn = editorFormOf(request.body).version;
      return save(request, reply, id, { ...form, version: basedOn }, 'save', 'restore');
    },
  };
}
