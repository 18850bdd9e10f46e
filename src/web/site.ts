/** What every public page needs to know about the publication: name, origin, language, sections for the navigation. */
import type { NamedRef } from '../articles/store.ts';
import type { ArticleKind } from '../db/schema.ts';
import { LRUCache } from 'lru-cache';

export interface SiteView {
  name: string;
  /** Absolute origin without trailing slash. */
  url: string;
  language: string;
  /** IANA time zone used to print dates, e.g. `UTC`, `Europe/London`. */
  timeZone: string;
  sections: NamedRef[];
  /** Time of the request, ISO-8601 UTC (masthead date, copyright year). */
  now: string;
  /** Path of the stylesheet including its content-hash query. */
  stylesheet: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A cached Intl formatter: building one costs far more than using it. */
function formatter(site: SiteView, kind: 'date' | 'datetime'): Intl.DateTimeFormat {
  const key = `${site.language}|${site.timeZone}|${kind}`;
  let f = formatters.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'date'
        ? { dateStyle: 'long', timeZone: site.timeZone }
        : { year: 'numeric', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: site.timeZone, timeZoneName: 'short' };
    f = new Intl.DateTimeFormat(site.language, options);
    formatters.set(key, f);
  }
  return f;
}

/**
 * Times as shown, kept across requests: Intl formatting costs about 2 µs a time, and the same publication, comment
 * and correction times are shown again and again. Keyed by language, zone, kind and time; about 1 MB at most.
 */
const shownTimes = new LRUCache<string, string>({ max: 10_000 });

function shownTime(site: SiteView, kind: 'date' | 'datetime', iso: string): string {
  const key = `${site.language}|${site.timeZone}|${kind}|${iso}`;
  let shown = shownTimes.get(key);
  if (shown === undefined) shownTimes.set(key, (shown = formatter(site, kind).format(new Date(iso))));
  return shown;
}

/** Long date in the site's language and time zone, e.g. "May 17, 2024". */
export function formatDate(site: SiteView, iso: string): string {
  return shownTime(site, 'date', iso);
}

/** Date and time with zone, e.g. "May 17, 2024 at 9:30 AM UTC". */
export function formatDateTime(site: SiteView, iso: string): string {
  return shownTime(site, 'datetime', iso);
}

/**
 * Today's date where the site is (the masthead's), formatted once a minute: every zone's offset from UTC has been a
 * whole number of minutes since 1972, so the date there cannot change within a UTC minute.
 */
export function formatToday(site: SiteView): string {
  return formatDate(site, `${site.now.slice(0, 16)}:00.000Z`);
}

/** Public paths of the reader site, in one place. Slugs are percent-encoded. */
export const paths = {
  home: (): string => '/',
  article: (slug: string): string => `/articles/${encodeURIComponent(slug)}`,
  /** A page ("About us"): published like an article, never listed. */
  page: (slug: string): string => `/pages/${encodeURIComponent(slug)}`,
  comments: (slug: string): string => `/articles/${encodeURIComponent(slug)}/comments`,
  section: (slug: string): string => `/section/${encodeURIComponent(slug)}`,
  author: (slug: string): string => `/author/${encodeURIComponent(slug)}`,
  tag: (slug: string): string => `/tag/${encodeURIComponent(slug)}`,
};

/** The public path of an article or page row: use it wherever the row may be a page. */
export function articlePath(row: { kind: ArticleKind; slug: string }): string {
  return row.kind === 'page' ? paths.page(row.slug) : paths.article(row.slug);
}
