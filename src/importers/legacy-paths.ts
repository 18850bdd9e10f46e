/**
 * Old addresses of imported content (WordPress `/?p=123`, `/2019/04/01/slug/`, `/category/news/`; Ghost `/slug/`,
 * `/tag/x/`): recorded by the importers, answered by the site with a 301 to where the target lives now.
 */
import type { DB } from '../db/database.ts';
import type { LegacyTargetKind } from '../db/schema.ts';
import { articlePath, paths } from '../web/site.ts';
import { findLegacyPath, findTermSlug, findVisibleArticle, upsertLegacyPaths } from './legacy-paths-store.ts';

/** What an old address now points at. */
export interface LegacyTarget {
  kind: LegacyTargetKind;
  id: number;
}

/**
 * WordPress query variables that name content (the rest, utm_* and the like, never do). WordPress reads them
 * case-sensitively, so `?P=1` is not one either.
 */
export const LEGACY_QUERY_KEYS: readonly string[] = ['attachment_id', 'author', 'cat', 'p', 'page_id', 'tag'];

/** Stands in for the origin of a bare path; only the path and query of any URL count, whatever its host. */
const BASE = 'http://legacy.invalid';

/** Lowercase NFC: WordPress and Ghost slugs are lowercase, and é may arrive composed or as e + accent. */
const fold = (text: string): string => text.toLowerCase().normalize('NFC');

/** Escapes the characters that would change what decoded text means in a path segment or query value. */
const escapeIn = (text: string, reserved: RegExp): string => text.replace(reserved, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
const SEGMENT_RESERVED = /[%/?#]/g;
const VALUE_RESERVED = /[%&=+#\s]/g;

/** Decodes a run of `%XX` escapes sequence by sequence; bytes that are not UTF-8 (Latin-1 `%E9`) stay escaped. */
function decodeEscapes(run: string): string {
  try {
    return escapeIn(fold(decodeURIComponent(run)), SEGMENT_RESERVED);
  } catch {
    // some bytes are not UTF-8: decode what is, sequence by sequence
  }
  let out = '';
  for (let i = 0; i < run.length; ) {
    let step = 0;
    // A UTF-8 sequence is 1 to 4 bytes, each `%XX` three characters.
    for (let bytes = 4; bytes >= 1 && !step; bytes--) {
      try {
        out += escapeIn(fold(decodeURIComponent(run.slice(i, i + 3 * bytes))), SEGMENT_RESERVED);
        step = 3 * bytes;
      } catch {
        // not a whole sequence: try a shorter one
      }
    }
    if (!step) {
      out += run.slice(i, i + 3).toUpperCase();
      step = 3;
    }
    i += step;
  }
  return out;
}

/** One path segment in stored form: decoded, lowercase, NFC, with `%`, `/`, `?`, `#` of the text re-escaped. */
function canonicalSegment(segment: string): string {
  return segment.replace(/((?:%[\da-f]{2})+)|[^%]+|%/gi, (match, run?: string) => (run ? decodeEscapes(run) : escapeIn(fold(match), SEGMENT_RESERVED))).normalize('NFC');
}

/**
 * The one stored form of an old address, or undefined when `urlOrPath` is not a web address. Rules: path and
 * query of an absolute URL (any host), else of a path (a missing leading `/` is added); percent-decoded, lowercase,
 * NFC (so `/%D0%9C%D0%BE…`, `/Мо…` and `/мо…` are one address); empty segments and `index.php` dropped, so
 * `/a//b/`, `/a/b` and `/index.php/a/b` are one; no trailing slash except the root. Only the query keys in
 * LEGACY_QUERY_KEYS are kept (last value wins, as in PHP; numbers without leading zeros), sorted by key.
 */
export function normalizeLegacyPath(urlOrPath: string): string | undefined {
  const input = urlOrPath.trim();
  if (!input) return undefined;
  let url: URL;
  try {
    // A path is never resolved against a base: `//x/y` (a request for a doubled slash) is a path, not host x.
    url = /^[a-z][a-z\d+.-]*:/i.test(input) ? new URL(input) : new URL(`${BASE}${input.startsWith('/') ? '' : '/'}${input}`);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;

  const segments = url.pathname
    .split('/')
    .map(canonicalSegment)
    .filter((segment) => segment !== '' && segment !== 'index.php');
  const path = `/${segments.join('/')}`;

  const kept = new Map<string, string>();
  for (const [key, raw] of url.searchParams) {
    if (!LEGACY_QUERY_KEYS.includes(key)) continue;
    const value = fold(raw.trim());
    if (value === '') kept.delete(key);
    else kept.set(key, value.replace(/^0+(?=\d+$)/, ''));
  }
  const query = [...kept].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, value]) => `${key}=${escapeIn(value, VALUE_RESERVED)}`);
  return query.length ? `${path}?${query.join('&')}` : path;
}

/** Paths that are Broadsheet's own (exact, or with anything below them): never recorded, never looked up. */
const LIVE_PATHS = ['/search', '/feed.xml', '/feed.atom', '/feed.json', '/sitemap.xml', '/robots.txt', '/favicon.ico'];
const LIVE_TREES = ['/articles', '/pages', '/section', '/comments', '/sitemaps', '/admin', '/api', '/assets', '/media'];
// `/tag/x` and `/author/x` are Broadsheet's addresses too, but an old site's tag may have become a section (a Ghost
// primary tag) or be spelt differently: they are recorded, and looked up only when Broadsheet has no such tag or
// author (the route answers 404) — see legacy-paths-routes.ts.

/**
 * Whether a normalised address is one Broadsheet answers itself, so a redirect there could never be reached (or
 * would hide a live page). The root counts only without a query: `/?p=123` is an old address.
 */
export function isLiveAddress(normalized: string): boolean {
  const [path, query] = normalized.split('?', 2) as [string, string | undefined];
  if (path === '/') return query === undefined;
  return LIVE_PATHS.includes(path) || LIVE_TREES.some((tree) => path === tree || path.startsWith(`${tree}/`));
}

/**
 * Records `paths` (absolute URLs or paths; normalised before storing) as old addresses of `target`, for importer
 * `source` ('wxr', 'ghost'). Importing again re-points an existing path to the new target. `at` is ISO-8601 UTC.
 * Addresses that are not web addresses or are Broadsheet's own are skipped; returns how many were recorded.
 */
export async function recordLegacyPaths(db: DB, source: string, target: LegacyTarget, paths: readonly string[], at: string): Promise<number> {
  const normalized = new Set<string>();
  for (const each of paths) {
    const path = normalizeLegacyPath(each);
    if (path !== undefined && !isLiveAddress(path)) normalized.add(path);
  }
  if (!normalized.size) return 0;
  await upsertLegacyPaths(
    db,
    [...normalized].map((path) => ({ path, target_kind: target.kind, target_id: target.id, source, created_at: at })),
  );
  return normalized.size;
}

/**
 * Where the old address in `url` (a request URL or any address) lives now: the current path of its target, or
 * undefined when it is unknown, its target is gone, or the target is an article readers may not see at `now`
 * (ISO-8601 UTC) — a draft or embargoed story is never revealed by its old address.
 */
export async function resolveLegacyPath(db: DB, url: string, now: string): Promise<string | undefined> {
  const path = normalizeLegacyPath(url);
  if (path === undefined || isLiveAddress(path)) return undefined;
  const row = await findLegacyPath(db, path);
  if (!row) return undefined;
  const { target_kind: kind, target_id: id } = row;
  if (kind === 'article') {
    const article = await findVisibleArticle(db, id, now);
    return article && articlePath(article);
  }
  const slug = await findTermSlug(db, kind, id);
  return slug === undefined ? undefined : paths[kind](slug);
}
