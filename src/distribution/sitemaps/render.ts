/** Writes sitemaps.org 0.9 `<urlset>` and `<sitemapindex>` documents (with the Google News and image extensions) with the `sitemap` library. */
import { Readable } from 'node:stream';
import { ErrorLevel, SitemapIndexStream, SitemapStream, streamToPromise, type IndexItem, type SitemapItemLoose } from 'sitemap';

/**
 * A `<urlset>` of `items` (absolute URLs). Declares the news and image namespaces; the library escapes text and
 * drops characters XML cannot hold, and throws on values the protocol forbids (a bug here, never reader input).
 */
export async function renderUrlset(items: readonly SitemapItemLoose[]): Promise<string> {
  const stream = new SitemapStream({ level: ErrorLevel.THROW, xmlns: { news: true, image: true, video: false, xhtml: false } });
  return (await streamToPromise(Readable.from(items).pipe(stream))).toString();
}

/** A `<sitemapindex>` of `items` (absolute URLs of sitemap files, lastmod in W3C datetime). */
export async function renderIndex(items: readonly IndexItem[]): Promise<string> {
  const stream = new SitemapIndexStream({ level: ErrorLevel.THROW });
  return (await streamToPromise(Readable.from(items).pipe(stream))).toString();
}
