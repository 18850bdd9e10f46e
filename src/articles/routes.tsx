/** Handlers for the reader pages of articles: front page, article page, section, author and tag listings. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { buildCommentSection, type CommentSectionState } from '../comments/section.tsx';
import { COMMENT_SETTINGS_KEY, commentSettingsFrom } from '../comments/settings.ts';
import { NotFound } from '../lib/errors.ts';
import { parseId } from '../lib/form-input.ts';
import type { AppContext } from '../web/context.ts';
import { siteView, siteViewWith } from '../web/context.ts';
import { sendPage } from '../web/render.ts';
import { cacheKeys, tagResponse } from '../caching/surrogate-keys.ts';
import type { ArticleKind } from '../db/schema.ts';
import { articlePath, paths } from '../web/site.ts';
import { commentsShown, getArticlePage, listArticles, summaryOf, type ArticlePageData } from './service.ts';
import { findRedirectTarget, type ListCursor } from './store.ts';
import { findAuthorBySlug, findSectionBySlug, findTagBySlug, listSections } from './taxonomy-store.ts';
import { ArticlePage } from './views/article-page.tsx';
import { StaticPage } from './views/static-page.tsx';
import { FrontPage } from './views/front-page.tsx';
import { ListingPage, type ListingPageProps } from './views/listing-page.tsx';

/** Stories per listing page. */
const PAGE_SIZE = 20;
/** Front page: the lead, then secondary stories two by two under it, then the latest-news rail. */
const SECONDARY_ON_FRONT = 4;
const LATEST_ON_FRONT = 6;
const STORIES_PER_SECTION_BLOCK = 3;

type SlugRequest = FastifyRequest<{ Params: { slug: string }; Querystring: { before?: string } }>;

/** Renders the article or page at `slug` (NotFound when unpublished), with the comments section in the given state. */
export async function renderArticlePage(ctx: AppContext, request: FastifyRequest<{ Params: { slug: string } }>, reply: FastifyReply, state: CommentSectionState & { status?: number } = {}): Promise<FastifyReply> {
  return renderView(ctx, request, reply, await getArticlePage(ctx, request.params.slug, COMMENT_SETTINGS_KEY), state);
}

/** The page of an article read with its site-wide bits (getArticlePage): then only its comment thread is queried. */
async function renderView(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, data: ArticlePageData, state: CommentSectionState & { status?: number } = {}): Promise<FastifyReply> {
  const { article } = data;
  const site = siteViewWith(ctx, data.sections);
  const comments = commentsShown(article) ? await buildCommentSection(ctx, site, request, reply, article, state, commentSettingsFrom(data.setting)) : undefined;
  // A page cached with a related story's link is purged with that story (unpublished, retitled).
  const related = article.kind === 'page' ? [] : data.related;
  tagResponse(reply, [cacheKeys.article(article.id), ...related.map((story) => cacheKeys.article(story.id))]);
  if (article.kind === 'page') return sendPage(reply, <StaticPage site={site} article={article} comments={comments} />, state.status);
  return sendPage(reply, <ArticlePage site={site} article={article} comments={comments} related={related} />, state.status);
}

/** `?before=<published_at>_<id>` → cursor; anything malformed is treated as the first page. */
function parseCursor(raw: unknown): ListCursor | undefined {
  const match = typeof raw === 'string' ? /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)_(\d+)$/.exec(raw) : null;
  const id = match ? parseId(match[2]!) : undefined;
  return match && id !== undefined && !Number.isNaN(Date.parse(match[1]!)) ? { publishedAt: match[1]!, id } : undefined;
}

function formatCursor(cursor: ListCursor | undefined): string | undefined {
  return cursor && `${cursor.publishedAt}_${cursor.id}`;
}

/** The surrogate key of the list a listing page shows. */
function listKey(filter: { sectionId?: number; authorId?: number; tagId?: number }): string {
  if (filter.sectionId !== undefined) return cacheKeys.section(filter.sectionId);
  if (filter.tagId !== undefined) return cacheKeys.tag(filter.tagId);
  if (filter.authorId !== undefined) return cacheKeys.author(filter.authorId);
  return cacheKeys.front;
}

/** Handlers bound to the app context. */
export function articleHandlers(ctx: AppContext) {
  async function listing(request: SlugRequest, reply: FastifyReply, page: { kind: string; heading: string; description?: string; path: string; currentSection?: string; scope: ListingPageProps['scope']; filter: { sectionId?: number; authorId?: number; tagId?: number } }) {
    const before = parseCursor(request.query.before);
    const [site, list] = await Promise.all([siteView(ctx), listArticles(ctx, { ...page.filter, before, limit: PAGE_SIZE })]);
    tagResponse(reply, [listKey(page.filter), ...list.articles.map((a) => cacheKeys.article(a.id))]);
    return sendPage(reply, <ListingPage site={site} {...page} stories={list.articles} cursor={formatCursor(before)} olderCursor={formatCursor(list.next)} isFirstPage={!before} />);
  }

  /**
   * GET /articles/:slug or /pages/:slug (`expected`). An address of the other kind, or an old slug, answers with a
   * permanent redirect to where the article or page lives now, query kept, so a wrong guess never 404s.
   */
  function published(expected: ArticleKind) {
    return async (request: SlugRequest, reply: FastifyReply) => {
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      let data: ArticlePageData;
      try {
        data = await getArticlePage(ctx, request.params.slug, COMMENT_SETTINGS_KEY);
      } catch (error) {
        const target = error instanceof NotFound ? await findRedirectTarget(ctx.db, request.params.slug, ctx.clock.now().toISOString()) : undefined;
        if (!target) throw error;
        return reply.redirect(articlePath(target) + query, 301);
      }
      if (data.article.kind !== expected) return reply.redirect(articlePath(data.article) + query, 301);
      return renderView(ctx, request, reply, data);
    };
  }

  return {
    async frontPage(_request: FastifyRequest, reply: FastifyReply) {
      const onTop = 1 + SECONDARY_ON_FRONT + LATEST_ON_FRONT;
      const [site, latest, sections] = await Promise.all([siteView(ctx), listArticles(ctx, { limit: onTop }), listSections(ctx.db)]);
      const [lead, ...rest] = latest.articles;
      const leadSummary = lead ? await summaryOf(ctx, lead) : '';
      const shown = new Set(latest.articles.map((a) => a.id));
      const sectionBlocks = [];
      for (const section of sections) {
        const { articles } = await listArticles(ctx, { sectionId: section.id, limit: STORIES_PER_SECTION_BLOCK + onTop });
        const stories = articles.filter((a) => !shown.has(a.id)).slice(0, STORIES_PER_SECTION_BLOCK);
        if (stories.length) sectionBlocks.push({ section: { slug: section.slug, name: section.name }, stories });
      }
      tagResponse(reply, [cacheKeys.front, ...[...shown, ...sectionBlocks.flatMap((b) => b.stories.map((s) => s.id))].map(cacheKeys.article)]);
      const page = (
        <FrontPage
          site={site}
          lead={lead && { ...lead, dek: leadSummary }}
          secondary={rest.slice(0, SECONDARY_ON_FRONT)}
          latest={rest.slice(SECONDARY_ON_FRONT)}
          sectionBlocks={sectionBlocks}
        />
      );
      return sendPage(reply, page);
    },

    article: published('article'),
    page: published('page'),

    /** A reload of the comment form's action address (after a refused post) goes back to the form. */
    async toComments(request: SlugRequest, reply: FastifyReply) {
      return reply.redirect(`${paths.article(request.params.slug)}#respond`, 303);
    },

    async section(request: SlugRequest, reply: FastifyReply) {
      const section = await findSectionBySlug(ctx.db, request.params.slug);
      if (!section) throw new NotFound(`No section "${request.params.slug}"`);
      return listing(request, reply, { kind: 'Section', heading: section.name, description: section.description, path: paths.section(section.slug), currentSection: section.slug, scope: { kind: 'section', slug: section.slug, name: section.name }, filter: { sectionId: section.id } });
    },

    async author(request: SlugRequest, reply: FastifyReply) {
      const author = await findAuthorBySlug(ctx.db, request.params.slug);
      if (!author) throw new NotFound(`No author "${request.params.slug}"`);
      // A byline page exists once its author has something published; newsroom staff stay private until then.
      if (!request.query.before && !(await listArticles(ctx, { authorId: author.id, limit: 1 })).articles.length) throw new NotFound('Author without published articles');
      return listing(request, reply, { kind: 'Author', heading: author.name, description: author.bio, path: paths.author(author.slug), scope: { kind: 'author', slug: author.slug, name: author.name }, filter: { authorId: author.id } });
    },

    async tag(request: SlugRequest, reply: FastifyReply) {
      const tag = await findTagBySlug(ctx.db, request.params.slug);
      if (!tag) throw new NotFound(`No topic "${request.params.slug}"`);
      // A tag only used by embargoed or draft articles must not reveal itself.
      if (!request.query.before && !(await listArticles(ctx, { tagId: tag.id, limit: 1 })).articles.length) throw new NotFound('Topic without published articles');
      return listing(request, reply, { kind: 'Topic', heading: tag.name, path: paths.tag(tag.slug), scope: { kind: 'tag', slug: tag.slug, name: tag.name }, filter: { tagId: tag.id } });
    },
  };
}
