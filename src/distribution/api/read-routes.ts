/** Handlers of the content API's reads: articles (filtered, keyset-paginated, field selection), sections, tags, authors. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { listArticles } from '../../articles/service.ts';
import { findRedirectTarget } from '../../articles/store.ts';
import { findAuthorBySlug, findSectionBySlug, findTagBySlug, listSections } from '../../articles/taxonomy-store.ts';
import { isoNow } from '../../lib/clock.ts';
import { NotFound } from '../../lib/errors.ts';
import type { ArticleKind } from '../../db/schema.ts';
import type { AppContext } from '../../web/context.ts';
import { paths } from '../../web/site.ts';
import { distributionPaths } from '../paths.ts';
import { onReplica } from '../replica.ts';
import { articlesJson, parseFields } from './article-json.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { findVisibleIdBySlug, visibleAuthors, visibleTags } from './store.ts';

type ListRequest = FastifyRequest<{
  Querystring: { cursor?: string; limit: number; section?: string; tag?: string; author?: string; published_since?: string; kind?: ArticleKind; fields?: string };
}>;
type ArticleRequest = FastifyRequest<{ Params: { slug: string }; Querystring: { fields?: string } }>;

/**
 * The read handlers (scope content:read), built once with the app's dependencies. They read the replica (replica.ts);
 * the key check before them (guard.ts) reads the primary, so a key revoked a moment ago is refused at once.
 */
export function readHandlers(app: AppContext) {
  const ctx = onReplica(app);
  const jsonDeps = { db: ctx.db, storage: ctx.storage, siteUrl: ctx.config.siteUrl };
  const absolute = (path: string) => `${ctx.config.siteUrl}${path}`;

  return {
    /** GET /api/v1/articles */
    async articles(request: ListRequest, reply: FastifyReply) {
      const q = request.query;
      const fields = parseFields(q.fields);
      const before = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
      // An unknown slug filters everything out (like an empty section), rather than being ignored.
      const [section, tag, author] = await Promise.all([
        q.section === undefined ? undefined : findSectionBySlug(ctx.db, q.section).then((s) => s?.id ?? -1),
        q.tag === undefined ? undefined : findTagBySlug(ctx.db, q.tag).then((t) => t?.id ?? -1),
        q.author === undefined ? undefined : findAuthorBySlug(ctx.db, q.author).then((a) => a?.id ?? -1),
      ]);
      const since = q.published_since === undefined ? undefined : new Date(q.published_since).toISOString();
      const listing = await listArticles(ctx, { sectionId: section, tagId: tag, authorId: author, kind: q.kind, since, before, limit: q.limit });
      const data = await articlesJson(jsonDeps, listing.articles.map((a) => a.id), fields, isoNow(ctx.clock));
      return reply.send({ data, next_cursor: listing.next ? encodeCursor(listing.next) : null });
    },

    /** GET /api/v1/articles/:slug — an old slug of a moved article redirects (301) to its current API address. */
    async article(request: ArticleRequest, reply: FastifyReply) {
      const fields = parseFields(request.query.fields);
      const now = isoNow(ctx.clock);
      const id = await findVisibleIdBySlug(ctx.db, request.params.slug, now);
      if (id === undefined) {
        const target = await findRedirectTarget(ctx.db, request.params.slug, now);
        if (!target) throw new NotFound('No published article at this address');
        const query = request.query.fields === undefined ? '' : `?fields=${encodeURIComponent(request.query.fields)}`;
        return reply.redirect(`${distributionPaths.api(`/articles/${encodeURIComponent(target.slug)}`)}${query}`, 301);
      }
      const [data] = await articlesJson(jsonDeps, [id], fields, now);
      if (!data) throw new NotFound('No published article at this address');
      return reply.send({ data });
    },

    /** GET /api/v1/sections */
    async sections(_request: FastifyRequest, reply: FastifyReply) {
      const rows = await listSections(ctx.db);
      return reply.send({ data: rows.map((s) => ({ slug: s.slug, name: s.name, url: absolute(paths.section(s.slug)), description: s.description })) });
    },

    /** GET /api/v1/tags — only tags of articles readers can see now. */
    async tags(_request: FastifyRequest, reply: FastifyReply) {
      const rows = await visibleTags(ctx.db, isoNow(ctx.clock));
      return reply.send({ data: rows.map((t) => ({ ...t, url: absolute(paths.tag(t.slug)) })) });
    },

    /** GET /api/v1/authors — only bylines of articles readers can see now. */
    async authors(_request: FastifyRequest, reply: FastifyReply) {
      const rows = await visibleAuthors(ctx.db, isoNow(ctx.clock));
      return reply.send({ data: rows.map((a) => ({ ...a, url: absolute(paths.author(a.slug)) })) });
    },
  };
}
