/**
 * Handlers of the content API's writes. Each acts as the token's creator through the newsroom's own services —
 * saveFromEditor (validation, roles, versions, revisions) and moderateComments — so every rule lives once.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { creditsOfArticle, tagsOfArticle } from '../../articles/store.ts';
import { MODERATION_ACTIONS, moderateComments, type ModerationAction } from '../../comments/moderation.ts';
import { isoNow } from '../../lib/clock.ts';
import { BadRequest, Conflict, NotFound } from '../../lib/errors.ts';
import { utcToLocal } from '../../lib/zoned-time.ts';
import { EMPTY_EDITOR_FORM, loadEditorForm, saveFromEditor, type EditorAction, type EditorForm } from '../../newsroom/editorial.ts';
import { authorsOf, findArticleById } from '../../newsroom/editorial-store.ts';
import { requireCan } from '../../newsroom/roles.ts';
import type { AppContext } from '../../web/context.ts';
import { articlePath } from '../../web/site.ts';
import { apiCaller } from './guard.ts';
import { findCommentStatus, sectionSlug } from './store.ts';

/** The editable fields of a write request, as JSON (lists as arrays). */
interface ArticleBody {
  kind?: 'article' | 'page';
  headline?: string;
  dek?: string;
  slug?: string;
  body_html?: string;
  dateline?: string;
  section?: string;
  tags?: string[];
  authors?: string[];
  credits?: string[];
  comment_status?: 'open' | 'closed';
  submit_for_review?: boolean;
}
type IdParams = { Params: { id: number } };
type CreateRequest = FastifyRequest<{ Body: ArticleBody }>;
type UpdateRequest = FastifyRequest<IdParams & { Body: ArticleBody & { version: number } }>;
type PublishRequest = FastifyRequest<IdParams & { Body?: { version?: number; publish_at?: string } }>;
type ModerateRequest = FastifyRequest<IdParams & { Body: { action: ModerationAction; reason?: string } }>;

/** `form` with the fields `body` sets, in the editor's text form (lists joined as the editor splits them). */
function withBody(form: EditorForm, body: ArticleBody): EditorForm {
  const next = { ...form };
  for (const key of ['kind', 'headline', 'dek', 'slug', 'body_html', 'dateline', 'section', 'comment_status'] as const) {
    if (body[key] !== undefined) next[key] = body[key];
  }
  if (body.tags) next.tags = body.tags.join(', ');
  if (body.authors) next.authors = body.authors.join(', ');
  if (body.credits) next.credits = body.credits.join('\n');
  return next;
}

/** The write handlers (articles:write, articles:publish, comments:moderate), acting as the token's creator. */
export function writeHandlers(ctx: AppContext) {
  const deps = { db: ctx.db, clock: ctx.clock, timeZone: ctx.config.siteTimeZone, unicodeSlugs: ctx.config.slugs === 'unicode', events: ctx.events };
  const moderation = { db: ctx.db, clock: ctx.clock, notifier: ctx.notifier, events: ctx.events };

  /** The article as the newsroom sees it, for write responses. */
  async function newsroomArticle(id: number) {
    const row = await findArticleById(ctx.db, id);
    if (!row) throw new NotFound('No such article');
    const [tags, authors, credits, section] = await Promise.all([
      tagsOfArticle(ctx.db, id),
      authorsOf(ctx.db, id),
      creditsOfArticle(ctx.db, id),
      row.section_id === null ? undefined : sectionSlug(ctx.db, row.section_id),
    ]);
    return {
      data: {
        id: row.id,
        slug: row.slug,
        kind: row.kind,
        status: row.status,
        version: row.version,
        url: `${ctx.config.siteUrl}${articlePath(row)}`,
        headline: row.headline,
        dek: row.dek,
        body_html: row.body_html,
        dateline: row.dateline,
        section: section ?? null,
        tags: tags.map((t) => t.name),
        authors: authors.map((a) => a.name),
        credits,
        comment_status: row.comment_status,
        published_at: row.published_at,
        updated_at: row.updated_at,
      },
    };
  }

  /** Saves through the editor's service (which also announces the change to site listeners after commit). */
  async function save(request: FastifyRequest, id: number | undefined, form: EditorForm, action: EditorAction) {
    try {
      const saved = await saveFromEditor(deps, apiCaller(request).user, id, form, action);
      return await newsroomArticle(saved.id);
    } catch (error) {
      if (!(error instanceof Conflict) || id === undefined) throw error;
      // The editor's wording is about its form; an API client needs the version to base its retry on.
      const current = await findArticleById(ctx.db, id);
      throw new Conflict(`The article changed since version ${form.version}: it is now at version ${current?.version ?? '?'}. Apply your change to the current article and send that version.`);
    }
  }

  /** The stored form of article `id` for the caller (Forbidden / NotFound like the editor). */
  async function formOf(request: FastifyRequest, id: number) {
    return loadEditorForm(deps, apiCaller(request).user, id);
  }

  return {
    /** POST /api/v1/articles */
    async create(request: CreateRequest, reply: FastifyReply) {
      const user = apiCaller(request).user;
      const form = withBody({ ...EMPTY_EDITOR_FORM, authors: user.displayName }, request.body);
      return reply.status(201).send(await save(request, undefined, form, request.body.submit_for_review ? 'submit' : 'save'));
    },

    /** PATCH /api/v1/articles/:id — only the fields sent change; `version` must be the current one. */
    async update(request: UpdateRequest, reply: FastifyReply) {
      const { form } = await formOf(request, request.params.id);
      const next = { ...withBody(form, request.body), version: String(request.body.version) };
      return reply.send(await save(request, request.params.id, next, request.body.submit_for_review ? 'submit' : 'save'));
    },

    /** POST /api/v1/articles/:id/publish — now, at a past `publish_at`, or scheduled for a future one. */
    async publish(request: PublishRequest, reply: FastifyReply) {
      const { form, article } = await formOf(request, request.params.id);
      const now = isoNow(ctx.clock);
      const at = request.body?.publish_at === undefined ? undefined : new Date(request.body.publish_at).toISOString();
      // The newsroom schedules by the minute; a finer time would be silently rounded, so it is refused instead.
      if (at && !at.endsWith(':00.000Z')) throw new BadRequest('publish_at', 'publish_at must fall on a whole minute (seconds 00), as the newsroom schedules by the minute.');
      // Without a time, a stored publication time that has passed is kept (as the editor does); a future one is dropped.
      const publishAt = at ? utcToLocal(at, deps.timeZone) : article.published_at && article.published_at <= now ? form.publish_at : '';
      const version = String(request.body?.version ?? article.version);
      return reply.send(await save(request, article.id, { ...form, publish_at: publishAt, version }, at && at > now ? 'schedule' : 'publish'));
    },

    /** POST /api/v1/articles/:id/unpublish */
    async unpublish(request: PublishRequest, reply: FastifyReply) {
      const { form, article } = await formOf(request, request.params.id);
      return reply.send(await save(request, article.id, { ...form, version: String(request.body?.version ?? article.version) }, 'unpublish'));
    },

    /** POST /api/v1/comments/:id/moderate */
    async moderate(request: ModerateRequest, reply: FastifyReply) {
      const user = apiCaller(request).user;
      requireCan(user, 'comments.moderate');
      const id = request.params.id;
      if (!(MODERATION_ACTIONS as readonly string[]).includes(request.body.action)) throw new NotFound('No such action');
      const changed = await moderateComments(moderation, [id], request.body.action, { userId: user.id, reason: request.body.reason });
      const row = await findCommentStatus(ctx.db, id);
      if (!row) throw new NotFound('No such comment');
      return reply.send({ data: { id: row.id, status: row.status, changed: changed.includes(id) } });
    },
  };
}
