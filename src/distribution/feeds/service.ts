/**
 * Feed rules: which articles (the newest visible ones of the site, a section, tag or author) or comments (an
 * article's approved ones) a feed holds, and what each entry says. Formats are render.ts's business.
 */
import { parseHTML } from 'linkedom';
import { authorsByArticle, findPublishedBySlug } from '../../articles/store.ts';
import { findAuthorBySlug, findSectionBySlug, findTagBySlug, listSections } from '../../articles/taxonomy-store.ts';
import { commentPaths } from '../../comments/paths.ts';
import type { Config } from '../../config.ts';
import type { DB } from '../../db/database.ts';
import { isoNow, type Clock } from '../../lib/clock.ts';
import { NotFound } from '../../lib/errors.ts';
import { ledeOf } from '../../lib/sanitize.ts';
import type { MediaStorage } from '../../media/storage.ts';
import { articlePath, paths } from '../../web/site.ts';
import { absoluteUrl } from '../metadata/text.ts';
import { distributionPaths, FEED_FILES, type FeedFormat } from '../paths.ts';
import { withAbsoluteUrls } from './absolute-html.ts';
import { featuredImages } from './feed-image.ts';
import type { FeedDocument, FeedEntry } from './render.ts';
import * as store from './store.ts';

export interface FeedDeps {
  db: DB;
  clock: Clock;
  storage: MediaStorage;
  config: Pick<Config, 'siteName' | 'siteUrl' | 'siteLanguage' | 'feedContent'>;
}

/** Entries per feed: the newest ones. */
export const FEED_LENGTH = 30;

/** Whose articles a feed follows: the whole site, or one section, tag or author by slug. */
export type FeedSubject = { kind: 'site' } | { kind: 'section' | 'tag' | 'author'; slug: string };

/** When Atom's `updated` and Last-Modified have nothing to go by (nothing was ever published). */
const NEVER = new Date(0).toISOString();

const abs = (deps: FeedDeps, path: string): string => absoluteUrl({ url: deps.config.siteUrl }, path);

/** A tag: URI (RFC 4151) naming an article or comment for good: host, the day it was created, kind and id. */
function tagUri(deps: FeedDeps, kind: 'article' | 'comment', id: number, createdAt: string): string {
  return `tag:${new URL(deps.config.siteUrl).hostname},${createdAt.slice(0, 10)}:${kind}:${id}`;
}

/** Absolute addresses of the three formats of the feed at `pathOf(format)`. */
function feedUrls(deps: FeedDeps, pathOf: (format: FeedFormat) => string): Record<FeedFormat, string> {
  const formats = Object.keys(FEED_FILES) as FeedFormat[];
  return Object.fromEntries(formats.map((f) => [f, abs(deps, pathOf(f))])) as Record<FeedFormat, string>;
}

/** The feed's title, description, page and scope; throws NotFound for an unknown section, tag or author. */
async function describe(deps: FeedDeps, subject: FeedSubject) {
  const site = deps.config.siteName;
  if (subject.kind === 'site') {
    return { scope: {}, title: site, description: `The latest from ${site}`, page: paths.home(), urls: feedUrls(deps, distributionPaths.siteFeed) };
  }
  if (subject.kind === 'section') {
    const section = await findSectionBySlug(deps.db, subject.slug);
    if (!section) throw new NotFound(`No section "${subject.slug}"`);
    const description = section.description || `The latest ${section.name} articles from ${site}`;
    return { scope: { sectionId: section.id }, title: `${site}: ${section.name}`, description, page: paths.section(section.slug), urls: feedUrls(deps, (f) => distributionPaths.sectionFeed(section.slug, f)) };
  }
  if (subject.kind === 'tag') {
    const tag = await findTagBySlug(deps.db, subject.slug);
    if (!tag) throw new NotFound(`No topic "${subject.slug}"`);
    return { scope: { tagId: tag.id }, title: `${site}: ${tag.name}`, description: `Articles about ${tag.name} from ${site}`, page: paths.tag(tag.slug), urls: feedUrls(deps, (f) => distributionPaths.tagFeed(tag.slug, f)) };
  }
  const author = await findAuthorBySlug(deps.db, subject.slug);
  if (!author) throw new NotFound(`No author "${subject.slug}"`);
  return { scope: { authorId: author.id }, title: `${site}: ${author.name}`, description: author.bio || `Articles by ${author.name} in ${site}`, page: paths.author(author.slug), urls: feedUrls(deps, (f) => distributionPaths.authorFeed(author.slug, f)) };
}

/**
 * The feed document of `subject`: its FEED_LENGTH newest visible articles (scheduled ones only from their time,
 * never drafts or unpublished ones), full text or summary by FEED_CONTENT, featured image, bylines as names and
 * author pages. Throws NotFound for unknown subjects, and for tags and authors without a visible article (their
 * pages do not exist either).
 */
export async function articleFeed(deps: FeedDeps, subject: FeedSubject): Promise<FeedDocument> {
  const now = isoNow(deps.clock);
  const about = await describe(deps, subject);
  const rows = await store.listFeedArticles(deps.db, about.scope, now, FEED_LENGTH);
  if (!rows.length && (subject.kind === 'tag' || subject.kind === 'author')) throw new NotFound('Nothing published here yet');
  const ids = rows.map((r) => r.id);
  const [authors, tags, sections, images, updated] = await Promise.all([
    authorsByArticle(deps.db, ids),
    store.tagsByArticle(deps.db, ids),
    listSections(deps.db),
    featuredImages({ ...deps, siteUrl: deps.config.siteUrl }, rows),
    store.lastArticleChange(deps.db, about.scope, now),
  ]);
  const sectionById = new Map(sections.map((s) => [s.id, s]));
  const entries = rows.map((row): FeedEntry => {
    const url = abs(deps, paths.article(row.slug));
    const section = row.section_id === null ? undefined : sectionById.get(row.section_id);
    return {
      id: tagUri(deps, 'article', row.id, row.created_at),
      url,
      title: row.headline,
      summary: row.dek || ledeOf(row.body_html),
      contentHtml: deps.config.feedContent === 'full' ? withAbsoluteUrls(row.body_html, url) : undefined,
      published: row.published_at,
      updated: store.latest([row.published_at, row.revised_at]) ?? row.published_at,
      authors: (authors.get(row.id) ?? []).map((a) => ({ name: a.name, url: abs(deps, paths.author(a.slug)) })),
      categories: [
        ...(section ? [{ term: section.slug, label: section.name, scheme: abs(deps, '/section/') }] : []),
        ...(tags.get(row.id) ?? []).map((t) => ({ term: t.slug, label: t.name, scheme: abs(deps, '/tag/') })),
      ],
      image: row.featured_media_id === null ? undefined : images.get(row.featured_media_id),
    };
  });
  return {
    title: about.title,
    description: about.description,
    language: deps.config.siteLanguage,
    pageUrl: abs(deps, about.page),
    feedUrls: about.urls,
    publisher: { name: deps.config.siteName, url: abs(deps, paths.home()) },
    updated: updated ?? NEVER,
    entries,
  };
}

/** Plain text of a comment's HTML (for summaries). */
function textOf(html: string): string {
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  return (document.body.textContent ?? '').trim().replace(/\s+/g, ' ');
}

/**
 * The RSS 2.0 document of the approved comments of the visible article at `slug`, newest FEED_LENGTH first:
 * commenter names only (their email addresses are never read). Throws NotFound when the article is not public.
 */
export async function commentsFeed(deps: FeedDeps, slug: string): Promise<FeedDocument> {
  const article = await findPublishedBySlug(deps.db, slug, isoNow(deps.clock));
  if (!article) throw new NotFound(`No published article at "${slug}"`);
  const [rows, changed] = await Promise.all([store.listFeedComments(deps.db, article.id, FEED_LENGTH), store.lastCommentChange(deps.db, article.id)]);
  const entries = rows.map(
    (row): FeedEntry => ({
      id: tagUri(deps, 'comment', row.id, row.created_at),
      url: abs(deps, commentPaths.permalink(row.id)),
      title: `Comment by ${row.author_name}`,
      summary: textOf(row.body_html),
      contentHtml: row.body_html,
      published: row.created_at,
      updated: row.edited_at ?? row.created_at,
      authors: [{ name: row.author_name }],
      categories: [],
    }),
  );
  return {
    title: `${deps.config.siteName}: comments on “${article.headline}”`,
    description: `Readers’ comments on “${article.headline}”`,
    language: deps.config.siteLanguage,
    pageUrl: abs(deps, `${articlePath(article)}#comments`),
    feedUrls: { rss: abs(deps, distributionPaths.commentsFeed(article.slug)) },
    publisher: { name: deps.config.siteName, url: abs(deps, paths.home()) },
    updated: store.latest([changed, article.updated_at]) ?? NEVER,
    entries,
  };
}
