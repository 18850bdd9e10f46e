/**
 * Writes a feed document as RSS 2.0, Atom 1.0 (RFC 4287) or JSON Feed 1.1 with the `feed` library, working around
 * what it gets wrong: it writes Atom titles and summaries as `type="html"` (so text is HTML-escaped first), puts
 * Atom category labels in attributes without escaping `<`, types Atom enclosures by file extension (`image/jpg`), and
 * writes JSON Feed 1.0 (upgraded here to 1.1).
 */
import { escapeHtml } from '../../lib/escape-html.ts';
import { Feed, type Category, type Item } from 'feed';
import type { FeedFormat } from '../paths.ts';
import type { DistributedImage } from './feed-image.ts';

export interface FeedEntry {
  /** Permanent id (a tag: URI, RFC 4151), unchanged when the slug changes. */
  id: string;
  /** Absolute URL of the page. */
  url: string;
  /** Plain text. */
  title: string;
  /** Plain text; '' for none. */
  summary: string;
  /** Full HTML content with absolute URLs, if the feed carries it. */
  contentHtml?: string;
  /** ISO-8601 UTC. */
  published: string;
  updated: string;
  /** Names and author pages; never an email address. */
  authors: { name: string; url?: string }[];
  categories: { term: string; label: string; scheme: string }[];
  image?: DistributedImage;
}

export interface FeedDocument {
  title: string;
  description: string;
  /** BCP 47. */
  language: string;
  /** Absolute URL of the HTML page the feed follows. */
  pageUrl: string;
  /** Absolute URLs of this feed in each format it is offered in (rel="self" and the JSON feed_url). */
  feedUrls: Partial<Record<FeedFormat, string>>;
  /** The publication: Atom's feed-level author, so entries without a byline stay valid. */
  publisher: { name: string; url: string };
  /** ISO-8601 UTC: when the content last changed. */
  updated: string;
  entries: FeedEntry[];
}

/** Characters XML 1.0 does not allow (C0 controls but tab and newlines, lone surrogates, U+FFFE/FFFF): dropped. */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function clean(text: string): string {
  return text.replace(NOT_XML, '');
}

/** Atom wants term/scheme/label; RSS 2.0 and JSON Feed take the name. A label with `<` is left out (the term stays). */
function category(format: FeedFormat, c: FeedEntry['categories'][number]): Category {
  if (format !== 'atom') return { name: clean(c.label) };
  return { term: clean(c.term), scheme: c.scheme, name: c.label.includes('<') ? undefined : clean(c.label) };
}

function item(format: FeedFormat, entry: FeedEntry): Item {
  // Atom entries carry title and summary as type="html": text must reach readers as text, so escape it. RSS 2.0
  // readers take <description> as HTML too; only JSON Feed has plain-text fields.
  const asHtml = format === 'json' ? clean : (text: string) => escapeHtml(clean(text));
  return {
    id: entry.id,
    title: format === 'atom' ? asHtml(entry.title) : clean(entry.title),
    link: entry.url,
    date: new Date(entry.updated),
    published: new Date(entry.published),
    description: entry.summary ? asHtml(entry.summary) : undefined,
    content: entry.contentHtml === undefined ? undefined : clean(entry.contentHtml),
    // Left out when empty: feed@6's JSON writer fails on an empty author list.
    author: entry.authors.length ? entry.authors.map((a) => ({ name: clean(a.name), link: a.url })) : undefined,
    category: entry.categories.map((c) => category(format, c)),
    image: entry.image && { url: entry.image.url, type: entry.image.type, length: entry.image.length },
  };
}

/**
 * RSS 2.0's <author> must be an email address, and Broadsheet publishes none: bylines go in Dublin Core
 * <dc:creator> instead (the RSS Advisory Board's recommendation), one element per author.
 */
function bylinesAsCreators(rss: string): string {
  const withCreators = rss.replace(/<author>([^<]*)<\/author>/g, '<dc:creator>$1</dc:creator>');
  if (withCreators === rss || /<rss[^>]*xmlns:dc=/.test(withCreators)) return withCreators;
  return withCreators.replace('<rss version="2.0"', '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"');
}

/** `feed`'s JSON output (JSON Feed 1.0 fields) as JSON Feed 1.1: version, language, `authors` lists, plain-text content. */
function jsonFeed11(json: string, doc: FeedDocument): string {
  const feed = JSON.parse(json) as Record<string, unknown> & { items: Record<string, unknown>[] };
  delete feed.author;
  const upgraded = {
    ...feed,
    version: 'https://jsonfeed.org/version/1.1',
    language: doc.language,
    authors: [{ name: doc.publisher.name, url: doc.publisher.url }],
    items: feed.items.map((item, i) => {
      const entry = doc.entries[i]!;
      const { author: _author, content_html, summary: _summary, ...rest } = item;
      const content = entry.contentHtml !== undefined ? { content_html, ...(entry.summary ? { summary: entry.summary } : {}) } : { content_text: entry.summary || entry.title };
      return { ...rest, ...content, authors: entry.authors.map((a) => ({ name: a.name, ...(a.url ? { url: a.url } : {}) })) };
    }),
  };
  return JSON.stringify(upgraded, null, 2);
}

/** The document in `format`: RSS 2.0 (RFC 822 dates), Atom 1.0 (RFC 3339 dates) or JSON Feed 1.1 (RFC 3339 dates). */
export function renderFeed(doc: FeedDocument, format: FeedFormat): string {
  const feed = new Feed({
    id: doc.pageUrl,
    title: clean(doc.title),
    description: clean(doc.description),
    link: doc.pageUrl,
    language: doc.language,
    updated: new Date(doc.updated),
    generator: 'Broadsheet',
    feedLinks: doc.feedUrls,
    author: { name: clean(doc.publisher.name), link: doc.publisher.url },
  });
  for (const entry of doc.entries) feed.addItem(item(format, entry));
  if (format === 'rss') return bylinesAsCreators(feed.rss2());
  // feed@6 derives an Atom enclosure's type from the file extension, and `.jpg` is not a media type: image/jpeg is.
  if (format === 'atom') return feed.atom1().replace(/(<link rel="enclosure" href="[^"]*") type="image\/jpg"/g, '$1 type="image/jpeg"');
  return jsonFeed11(feed.json1(), doc);
}
