/**
 * Published articles as content API JSON: the field allowlist of `fields=`, and one assembler that loads only
 * what the requested fields need, a query per part for a whole page. Never commenter data, only the count.
 */
import type { DB } from '../../db/database.ts';
import type { NamedRef } from '../../articles/store.ts';
import { authorsByArticle } from '../../articles/store.ts';
import { listSections } from '../../articles/taxonomy-store.ts';
import { BadRequest } from '../../lib/errors.ts';
import type { MediaVariant } from '../../media/images.ts';
import type { MediaStorage } from '../../media/storage.ts';
import type { MediaRow } from '../../media/store.ts';
import type { ArticleKind } from '../../db/schema.ts';
import { articlePath, paths } from '../../web/site.ts';
import * as store from './store.ts';

export const ARTICLE_FIELDS = [
  'id',
  'slug',
  'kind',
  'url',
  'headline',
  'dek',
  'body_html',
  'dateline',
  'published_at',
  'updated_at',
  'revised_at',
  'section',
  'tags',
  'authors',
  'credits',
  'corrections',
  'featured_image',
  'comment_count',
] as const;
export type ArticleField = (typeof ARTICLE_FIELDS)[number];

type Linked = NamedRef & { url: string };

/** One article as the API returns it (every key present unless `fields` left it out). */
export interface ArticleJson {
  id?: number;
  slug?: string;
  kind?: ArticleKind;
  url?: string;
  headline?: string;
  dek?: string;
  body_html?: string;
  dateline?: string;
  published_at?: string;
  updated_at?: string;
  revised_at?: string | null;
  section?: Linked | null;
  tags?: Linked[];
  authors?: Linked[];
  credits?: string[];
  corrections?: { created_at: string; text: string }[];
  featured_image?: { url: string; width: number; height: number; alt: string; caption: string; credit: string } | null;
  comment_count?: number;
}

export interface ArticleJsonDeps {
  db: DB;
  storage: MediaStorage;
  /** Origin for absolute URLs, without a trailing slash. */
  siteUrl: string;
}

/** The fields named by a `fields` parameter (all when absent). Throws BadRequest (field `fields`) for unknown names. */
export function parseFields(raw: string | undefined): ArticleField[] {
  if (raw === undefined) return [...ARTICLE_FIELDS];
  const names = [...new Set(raw.split(',').map((f) => f.trim()))];
  const unknown = names.filter((n) => !(ARTICLE_FIELDS as readonly string[]).includes(n));
  if (unknown.length || !names.length) {
    throw new BadRequest('fields', `fields must be a comma-separated list of: ${ARTICLE_FIELDS.join(', ')}${unknown.length ? ` (unknown: ${unknown.map((u) => JSON.stringify(u.slice(0, 40))).join(', ')})` : ''}.`);
  }
  return names as ArticleField[];
}

/**
 * The image readers get as the plain `<img src>`: the fallback format's largest variant up to 1200 px wide, as
 * media/service.ts `responsiveImage` chooses it, with that variant's own size.
 */
function fallbackVariant(storage: MediaStorage, media: MediaRow): { url: string; width: number; height: number } | undefined {
  const variants = JSON.parse(media.variants) as MediaVariant[];
  const format = variants.some((v) => v.format === 'png') ? 'png' : 'jpeg';
  const fallbacks = variants.filter((v) => v.format === format).sort((a, b) => a.width - b.width);
  const chosen = [...fallbacks].reverse().find((v) => v.width <= 1200) ?? fallbacks[0];
  return chosen && { url: storage.url(chosen.key), width: chosen.width, height: chosen.height };
}

/** Articles `ids` that readers may see at `now`, in the order of `ids`, with only `fields`. */
export async function articlesJson(deps: ArticleJsonDeps, ids: readonly number[], fields: readonly ArticleField[], now: string): Promise<ArticleJson[]> {
  const want = new Set(fields);
  const rows = await store.visibleArticlesByIds(deps.db, ids, now);
  const found = rows.map((r) => r.id);
  const absolute = (path: string) => (/^https?:/.test(path) ? path : `${deps.siteUrl}${path}`);
  const none = async <T>() => new Map<number, T>();
  const [sections, tags, authors, credits, corrections, media] = await Promise.all([
    want.has('section') ? listSections(deps.db) : [],
    want.has('tags') ? store.tagsByArticle(deps.db, found) : none<NamedRef[]>(),
    want.has('authors') ? authorsByArticle(deps.db, found) : none<NamedRef[]>(),
    want.has('credits') ? store.creditsByArticle(deps.db, found) : none<string[]>(),
    want.has('corrections') ? store.correctionsByArticle(deps.db, found) : none<{ created_at: string; text: string }[]>(),
    want.has('featured_image') ? store.mediaByIds(deps.db, rows.flatMap((r) => (r.featured_media_id === null ? [] : [r.featured_media_id]))) : none<MediaRow>(),
  ]);
  const link = (ref: NamedRef, path: (slug: string) => string): Linked => ({ slug: ref.slug, name: ref.name, url: absolute(path(ref.slug)) });
  const byId = new Map(
    rows.map((r) => {
      const section = sections.find((s) => s.id === r.section_id);
      const image = r.featured_media_id === null ? undefined : media.get(r.featured_media_id);
      const variant = image && fallbackVariant(deps.storage, image);
      const all: Required<ArticleJson> = {
        id: r.id,
        slug: r.slug,
        kind: r.kind,
        url: absolute(articlePath(r)),
        headline: r.headline,
        dek: r.dek,
        body_html: r.body_html,
        dateline: r.dateline,
        published_at: r.published_at,
        updated_at: r.updated_at,
        revised_at: r.revised_at,
        section: section ? link(section, paths.section) : null,
        tags: (tags.get(r.id) ?? []).map((t) => link(t, paths.tag)),
        authors: (authors.get(r.id) ?? []).map((a) => link(a, paths.author)),
        credits: credits.get(r.id) ?? [],
        corrections: corrections.get(r.id) ?? [],
        featured_image: variant ? { ...variant, url: absolute(variant.url), alt: r.featured_alt, caption: r.featured_caption, credit: r.featured_credit } : null,
        comment_count: r.comment_count,
      };
      return [r.id, Object.fromEntries(fields.map((f) => [f, all[f]])) as ArticleJson];
    }),
  );
  return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
}
