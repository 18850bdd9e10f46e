/** Small text and URL helpers for page metadata: absolute URLs, description trimming, Open Graph locales. */
import { LRUCache } from 'lru-cache';
import type { SiteView } from '../../web/site.ts';

/**
 * Absolute URLs by origin and path, kept across requests: an article page needs about ten, the same on every view
 * (home, its section, authors, itself), and the WHATWG URL parser costs a few µs each.
 */
const absoluteUrls = new LRUCache<string, string>({ max: 10_000 });

/** `path` (root-relative) as an absolute URL on the site's origin; absolute URLs are returned unchanged. */
export function absoluteUrl(site: Pick<SiteView, 'url'>, path: string): string {
  if (/^https?:\/\//i.test(path)) return path;
  const key = `${site.url}\n${path}`;
  let url = absoluteUrls.get(key);
  if (url === undefined) absoluteUrls.set(key, (url = new URL(path, `${site.url}/`).href));
  return url;
}

/** Longest description, in characters (search engines show ~155–160; social cards up to ~200). */
export const DESCRIPTION_MAX_LENGTH = 200;

/**
 * `text` with whitespace collapsed, cut at the last word boundary before `max` characters (code points) and
 * ended with "…" when it was cut.
 */
export function describeText(text: string, max = DESCRIPTION_MAX_LENGTH): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  const chars = [...clean];
  if (chars.length <= max) return clean;
  const head = chars.slice(0, max - 1).join('');
  // A word ends where the head ends when the next character is a space; else drop the cut word (unless it is most of the text).
  const space = chars[max - 1] === ' ' ? head.length : head.lastIndexOf(' ');
  return `${(space > head.length / 2 ? head.slice(0, space) : head).replace(/[\s,;:.–—-]+$/u, '')}…`;
}

/** og:locale by site language: maximising a locale costs tens of µs, and a site has one language. */
const openGraphLocales = new Map<string, string>();

/**
 * The Open Graph protocol's `og:locale` (`language_TERRITORY`, e.g. `en_US`) for a BCP 47 tag: the territory is
 * the tag's region, or the likeliest one (CLDR likely subtags: `en` → `en_US`); a language alone when none is known.
 */
export function openGraphLocale(language: string): string {
  let locale = openGraphLocales.get(language);
  if (locale === undefined) {
    locale = maximizedLocale(language);
    // Bounded: languages come from configuration, but a misconfigured caller must not grow this without end.
    if (openGraphLocales.size < 100) openGraphLocales.set(language, locale);
  }
  return locale;
}

function maximizedLocale(language: string): string {
  try {
    const locale = new Intl.Locale(language).maximize();
    return locale.region ? `${locale.language}_${locale.region}` : locale.language;
  } catch {
    return language;
  }
}

/** An ISO-8601 time as UTC with milliseconds and `Z` (the zone is always present). */
export function isoUtc(iso: string): string {
  return new Date(iso).toISOString();
}
