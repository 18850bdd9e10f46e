/** Article rules: saving an article with its authors, tags and credits in one transaction, and reading published ones. */
import type { DB } from '../db/database.ts';
import type { ArticleKind, ArticleRow, ArticleStatus, CommentingStatus } from '../db/schema.ts';
import { isoNow, type Clock } from '../lib/clock.ts';
import { NotFound, ValidationError } from '../lib/errors.ts';
import { ledeOf, sanitizeArticleHtml } from '../lib/sanitize.ts';
import { slugFor } from '../lib/slug.ts';
import { indexArticle } from '../distribution/search/index.ts';
import { readJson } from '../db/dialect.ts';
import { responsiveImageOf, type ResponsiveImage } from '../media/responsive-image.ts';
import type { MediaStorage } from '../media/storage.ts';
import * as store from './store.ts';
import * as taxonomy from './taxonomy-store.ts';
import type { ListCursor, NamedRef } from './store.ts';
import { cleanText } from '../lib/clean-text.ts';

export interface ArticleDeps {
  db: DB;
  clock: Clock;
  /** Needed to show featured images; pages without it show none. */
  storage?: MediaStorage;
}

/** An article as given by an importer or the demo loader. `bodyHtml` is sanitised here, whatever its source. */
export interface ArticleInput {
  headline: string;
  dek?: string;
  bodyHtml: string;
  dateline?: string;
  slug?: string;
  status: ArticleStatus;
  /** 'page' for an unlisted page such as "About us" (never on the front page, archives or feeds); default 'article'. */
  kind?: ArticleKind;
  /** ISO-8601 UTC; defaults to now when publishing an article that has no publication time yet. */
  publishedAt?: string;
  section?: { name: string; slug?: string };
  /** Byline order. */
  authors?: { name: string; slug?: string; bio?: string }[];
  tags?: string[];
  credits?: string[];
  commentStatus?: CommentingStatus;
  /** Keep non-Latin letters in a new slug (site setting SLUGS=unicode). */
  unicodeSlug?: boolean;
  /** Importer identity: saving again with the same pair updates the article instead of adding one. */
  importSource?: string;
  importKey?: string;
}

export interface SaveResult {
  action: 'created' | 'updated';
  id: number;
  slug: string;
}

/** Longest headline accepted, in characters. */
const MAX_HEADLINE_LENGTH = 300;

/**
 * Longest body accepted, in characters of HTML (checked before sanitising): about 300,000 words, beyond any article,
 * and small enough that every page, feed and API response built from it stays cheap.
 */
export const MAX_BODY_LENGTH = 2_000_000;

/** Refuses a body too long to be an article before any work is done on it (ValidationError, field `body`). */
function checkBodyLength(bodyHtml: string): void {
  if (bodyHtml.length > MAX_BODY_LENGTH) throw new ValidationError({ body: `The body is longer than ${MAX_BODY_LENGTH.toLocaleString('en')} characters.` });
}

function validate(input: ArticleInput, bodyHtml: string): void {
  const fields: Record<string, string> = {};
  const headline = input.headline.trim();
  if (!headline) fields.headline = 'The headline is empty.';
  else if (headline.length > MAX_HEADLINE_LENGTH) fields.headline = `The headline is longer than ${MAX_HEADLINE_LENGTH} characters.`;
  if (!bodyHtml) fields.body = 'The body is empty.';
  if (input.publishedAt !== undefined && Number.isNaN(Date.parse(input.publishedAt))) fields.published_at = `"${input.publishedAt}" is not a valid date.`;
  if (Object.keys(fields).length) throw new ValidationError(fields);
}

async function uniqueSlug(db: DB, wanted: string): Promise<string> {
  let candidate = wanted;
  for (let n = 2; await store.slugTaken(db, candidate); n++) candidate = `${wanted}-${n}`;
  return candidate;
}

/** Ids of the section, byline authors (in order, deduplicated) and tags named by `input`, creating missing ones. */
export async function resolveTaxonomy(tx: DB, input: Pick<ArticleInput, 'section' | 'authors' | 'tags'>, now: string): Promise<{ sectionId: number | null; authorIds: number[]; tagIds: number[] }> {
  const sectionId = input.section ? await taxonomy.ensureSection(tx, { name: input.section.name, slug: input.section.slug ?? slugFor(input.section.name, 'section') }) : null;
  const authorIds: number[] = [];
  for (const author of input.authors ?? []) {
    const id = await taxonomy.ensureAuthor(tx, { name: author.name, slug: author.slug ?? slugFor(author.name, 'author'), bio: author.bio }, now);
    if (!authorIds.includes(id)) authorIds.push(id);
  }
  const tagIds: number[] = [];
  for (const name of input.tags ?? []) {
    const id = await taxonomy.ensureTag(tx, { name, slug: slugFor(name, 'tag') });
    if (!tagIds.includes(id)) tagIds.push(id);
  }
  return { sectionId, authorIds, tagIds };
}

/**
 * Creates or updates (by importSource/importKey) an article with its section, authors, tags and credits,
 * all in one transaction. Throws ValidationError (fields: headline, body, published_at) before writing anything.
 */
export async function saveArticle(deps: ArticleDeps, input: ArticleInput): Promise<SaveResult> {
  return deps.db.transaction().execute((tx) => writeArticle(tx, deps.clock, input));
}

/** saveArticle's work inside a transaction the caller owns (e.g. the demo loader writing many articles at once). */
/** The input with characters no page may hold removed from every text field (lib/clean-text.ts). */
function cleanInput(input: ArticleInput): ArticleInput {
  return {
    ...input,
    headline: cleanText(input.headline),
    dek: input.dek === undefined ? undefined : cleanText(input.dek),
    dateline: input.dateline === undefined ? undefined : cleanText(input.dateline),
    section: input.section && { ...input.section, name: cleanText(input.section.name) },
    authors: input.authors?.map((a) => ({ ...a, name: cleanText(a.name), bio: a.bio === undefined ? undefined : cleanText(a.bio) })),
    tags: input.tags?.map(cleanText),
    credits: input.credits?.map(cleanText),
  };
}

export async function writeArticle(tx: DB, clock: Clock, rawInput: ArticleInput): Promise<SaveResult> {
  checkBodyLength(rawInput.bodyHtml);
  const input = cleanInput(rawInput);
  const bodyHtml = sanitizeArticleHtml(input.bodyHtml);
  validate(input, bodyHtml);
  const now = isoNow(clock);
  const publishedAt = input.publishedAt ? new Date(input.publishedAt).toISOString() : undefined;

  const { sectionId, authorIds, tagIds } = await resolveTaxonomy(tx, input, now);
  const fields = {
    headline: input.headline.trim(),
    dek: (input.dek ?? '').trim(),
    body_html: bodyHtml,
    dateline: (input.dateline ?? '').trim(),
    status: input.status,
    kind: input.kind ?? 'article',
    section_id: sectionId,
    comment_status: input.commentStatus ?? 'open',
    updated_at: now,
  };

  const existing = input.importSource && input.importKey ? await store.findByImportKey(tx, input.importSource, input.importKey) : undefined;
  let result: SaveResult;
  if (existing) {
    // A re-import keeps the original slug (its URL is public) and publication time unless the source gives one.
    const published_at = publishedAt ?? existing.published_at ?? (input.status === 'published' ? now : null);
    await store.updateArticle(tx, existing.id, { ...fields, published_at });
    result = { action: 'updated', id: existing.id, slug: existing.slug };
  } else {
    const slug = await uniqueSlug(tx, slugFor(input.slug || input.headline, 'article', { unicode: input.unicodeSlug }));
    const id = await store.insertArticle(tx, {
      ...fields,
      slug,
      published_at: publishedAt ?? (input.status === 'published' ? now : null),
      created_at: now,
      import_source: input.importSource ?? null,
      import_key: input.importKey ?? null,
    });
    result = { action: 'created', id, slug };
  }
  await store.replaceArticleLinks(tx, result.id, { authorIds, tagIds, credits: (input.credits ?? []).map((c) => c.trim()).filter(Boolean) });
  await indexArticle(tx, result.id);
  return result;
}

/** A published article with everything its page shows (comments excluded). */
export interface ArticleView {
  id: number;
  slug: string;
  /** A page is shown without byline, dateline or kicker, at paths.page (web/site.ts articlePath). */
  kind: ArticleKind;
  headline: string;
  dek: string;
  bodyHtml: string;
  dateline: string;
  publishedAt: string;
  updatedAt: string;
  /** Last substantial revision after publication (ISO-8601 UTC), if any: shown as "Updated …". */
  revisedAt: string | null;
  commentStatus: CommentingStatus;
  commentCount: number;
  section?: NamedRef;
  authors: NamedRef[];
  tags: NamedRef[];
  credits: string[];
  /** Dated correction notes, oldest first. */
  corrections: { createdAt: string; text: string }[];
  featured?: { image: ResponsiveImage; alt: string; caption: string; credit: string };
}

/** The published article or page at `slug` (one query). Throws NotFound for unknown or unpublished slugs. */
export async function getPublishedArticle(deps: ArticleDeps, slug: string): Promise<ArticleView> {
  return (await getArticlePage(deps, slug)).article;
}

/** A published article with what every page of the site shows, read together (store.findArticleWithLinks). */
export interface ArticlePageData {
  article: ArticleView;
  /** With `settingKey`: the navigation sections, in order. */
  sections: NamedRef[];
  /** With `settingKey`: the settings value stored under it, if any. */
  setting?: string;
  /** With `settingKey`: up to RELATED_STORIES other stories, those sharing a tag first, then its section's, newest first. */
  related: RelatedStory[];
}

/** A story linked from an article page's "related" list. */
export interface RelatedStory {
  id: number;
  slug: string;
  headline: string;
  publishedAt: string;
}

/**
 * Stories sharing a tag, then stories of the same section, each list newest first as read (JSON arrays keep their
 * query's order, as authors and tags do); no story twice, at most RELATED_STORIES.
 */
function relatedStories(byTag: store.RelatedRow[], inSection: store.RelatedRow[]): RelatedStory[] {
  const seen = new Set<number>();
  const stories: RelatedStory[] = [];
  for (const list of [byTag, inSection]) {
    for (const row of list) {
      if (stories.length === store.RELATED_STORIES || seen.has(row.id)) continue;
      seen.add(row.id);
      stories.push({ id: row.id, slug: row.slug, headline: row.headline, publishedAt: row.published_at });
    }
  }
  return stories;
}

/**
 * The published article or page at `slug` in one query, with the navigation sections and the setting stored under
 * `settingKey` when one is named (so an article page needs no other query but its comment thread). NotFound for
 * unknown or unpublished slugs.
 */
export async function getArticlePage(deps: ArticleDeps, slug: string, settingKey?: string): Promise<ArticlePageData> {
  const row = await store.findArticleWithLinks(deps.db, { slug, now: isoNow(deps.clock) }, settingKey === undefined ? undefined : { settingKey });
  if (!row || !row.published_at) throw new NotFound(`No published article at "${slug}"`);
  return {
    article: articleView(deps, row, row.published_at),
    sections: row.nav_sections === undefined ? [] : readJson(row.nav_sections),
    setting: row.setting ?? undefined,
    related: relatedStories(row.related_by_tag ? readJson(row.related_by_tag) : [], row.related_in_section ? readJson(row.related_in_section) : []),
  };
}

/**
 * Any article, whatever its status, as its page would show it: for the newsroom's preview only (the caller checks
 * who may see it). Unpublished articles show the current time as their date. Throws NotFound.
 */
export async function getArticleForPreview(deps: ArticleDeps, id: number): Promise<ArticleView> {
  const row = await store.findArticleWithLinks(deps.db, { id });
  if (!row) throw new NotFound('No such article');
  return articleView(deps, row, row.published_at ?? isoNow(deps.clock));
}

function articleView(deps: ArticleDeps, row: store.ArticleWithLinksRow, publishedAt: string): ArticleView {
  const section = row.section && readJson(row.section);
  const featured = row.featured && deps.storage ? readJson(row.featured) : undefined;
  return {
    id: row.id,
    slug: row.slug,
    kind: row.kind,
    headline: row.headline,
    dek: row.dek,
    bodyHtml: row.body_html,
    dateline: row.dateline,
    publishedAt,
    updatedAt: row.updated_at,
    revisedAt: row.revised_at,
    commentStatus: row.comment_status,
    commentCount: row.comment_count,
    section: section ? { slug: section.slug, name: section.name } : undefined,
    authors: readJson(row.authors),
    tags: readJson(row.tags),
    credits: readJson(row.credits).map((c) => c.text),
    corrections: readJson(row.corrections).map((c) => ({ createdAt: c.created_at, text: c.text })),
    featured: featured && deps.storage && { image: responsiveImageOf(deps.storage, featured), alt: row.featured_alt, caption: row.featured_caption, credit: row.featured_credit },
  };
}

/**
 * Whether the page shows a comments section: always for an article; for a page only while comments are open or
 * when it already has comments (shown closed), so an "About us" page with comments closed carries no empty box.
 */
export function commentsShown(article: Pick<ArticleView, 'kind' | 'commentStatus' | 'commentCount'>): boolean {
  return article.kind === 'article' || article.commentStatus === 'open' || article.commentCount > 0;
}

/** One entry of a listing (front page, section, author, tag). */
export interface ArticleSummary {
  id: number;
  slug: string;
  headline: string;
  dek: string;
  publishedAt: string;
  commentCount: number;
  section?: NamedRef;
  authors: NamedRef[];
}

export interface Listing {
  articles: ArticleSummary[];
  /** Cursor for the next (older) page, absent on the last page. */
  next?: ListCursor;
}

/** Published articles newest first, `limit` per page after the `before` cursor, with sections and bylines attached. */
export async function listArticles(deps: ArticleDeps, filter: Omit<store.ListFilter, 'now'>): Promise<Listing> {
  const rows = await store.listPublished(deps.db, { ...filter, now: isoNow(deps.clock), limit: filter.limit + 1 });
  const page = rows.slice(0, filter.limit);
  const [authors, sections] = await Promise.all([store.authorsByArticle(deps.db, page.map((r) => r.id)), taxonomy.listSections(deps.db)]);
  const sectionById = new Map(sections.map((s) => [s.id, { slug: s.slug, name: s.name }]));
  const articles = page.map((r) => ({
    id: r.id,
    slug: r.slug,
    headline: r.headline,
    dek: r.dek,
    publishedAt: r.published_at,
    commentCount: r.comment_count,
    section: r.section_id === null ? undefined : sectionById.get(r.section_id),
    authors: authors.get(r.id) ?? [],
  }));
  const last = page.at(-1);
  return { articles, next: rows.length > filter.limit && last ? { publishedAt: last.published_at, id: last.id } : undefined };
}

/** The summary of a story for a prominent slot: its dek, or else the text of its first paragraph (the lede). */
export async function summaryOf(deps: ArticleDeps, story: ArticleSummary): Promise<string> {
  if (story.dek) return story.dek;
  return ledeOf((await store.findBodyStart(deps.db, story.id)) ?? '');
}
