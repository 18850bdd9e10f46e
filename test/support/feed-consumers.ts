/**
 * Real consumers that feed and sitemap tests hand their output to: Debian's python3-feedparser (run with
 * /usr/bin/python3; `python3` on PATH may be another build without it), npm feed parsers
 * (@rowanmanning/feed-parser for RSS and Atom, feedsmith for JSON Feed), and xmllint with the sitemap XSDs.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseFeed as parseXmlFeed } from '@rowanmanning/feed-parser';
import { parseFeed as parseAnyFeed } from 'feedsmith';

/** What feedparser made of a feed: `bozo` is 1 when it found anything malformed. Titles are text (HTML decoded). */
export interface FeedparserResult {
  bozo: number;
  bozoException: string;
  version: string;
  title: string;
  entries: {
    title: string;
    link: string;
    id: string;
    published: string;
    updated: string;
    summary: string;
    /** The summary as text (HTML decoded). */
    summaryText: string;
    content: string[];
    authors: { name?: string; email?: string; href?: string }[];
    enclosures: { href: string; type: string; length: string }[];
    tags: string[];
  }[];
}

const FEEDPARSER = String.raw`
import feedparser, html, json, sys
d = feedparser.parse(sys.stdin.buffer.read())
def text(detail, value):
    return html.unescape(value) if detail is not None and detail.get('type') == 'text/html' else value
print(json.dumps({
  'bozo': int(d.bozo), 'bozoException': str(d.get('bozo_exception') or ''), 'version': d.version,
  'title': text(d.feed.get('title_detail'), d.feed.get('title', '')),
  'entries': [{
    'title': text(e.get('title_detail'), e.get('title', '')), 'link': e.get('link', ''), 'id': e.get('id', ''),
    'published': e.get('published', ''), 'updated': e.get('updated', ''), 'summary': e.get('summary', ''), 'summaryText': text(e.get('summary_detail'), e.get('summary', '')),
    'content': [c.get('value', '') for c in e.get('content', [])],
    'authors': [dict(a) for a in e.get('authors', [])],
    'enclosures': [{'href': x.get('href', ''), 'type': x.get('type', ''), 'length': x.get('length', '')} for x in e.get('enclosures', [])],
    'tags': [t.get('term') for t in e.get('tags', [])],
  } for e in d.entries],
}))
`;

/** Parses `body` with Debian's python3-feedparser. */
export function feedparser(body: string): FeedparserResult {
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', FEEDPARSER], { input: body, encoding: 'utf8' })) as FeedparserResult;
}

/** Parses an RSS or Atom feed with @rowanmanning/feed-parser (throws on what it cannot read). */
export function npmParseXmlFeed(body: string): ReturnType<typeof parseXmlFeed> {
  return parseXmlFeed(body);
}

/** Parses a JSON Feed with feedsmith (throws on what it cannot read). */
export function npmParseJsonFeed(body: string): ReturnType<typeof parseAnyFeed> {
  return parseAnyFeed(body);
}

const SCHEMAS = fileURLToPath(new URL('../fixtures/sitemap-schemas/', import.meta.url));

/** Validates a sitemap with xmllint against the sitemaps.org index schema or the urlset schema with the News and image extensions; returns xmllint's complaints ('' when valid). */
export function xmllintErrors(xml: string, kind: 'index' | 'urlset'): string {
  const schema = `${SCHEMAS}${kind === 'index' ? 'siteindex.xsd' : 'urlset.xsd'}`;
  const result = spawnSync('xmllint', ['--noout', '--schema', schema, '-'], { input: xml, encoding: 'utf8' });
  if (result.error) throw result.error;
  return result.status === 0 ? '' : `${result.stderr}`.trim() || `xmllint exited ${result.status}`;
}
