/**
 * Converts a WordPress export (WXR) into the search test corpus: its published, public posts as JSON articles
 * (title, excerpt as plain text, content HTML, tags, GMT publication time). Posts that are drafts, private,
 * password-protected, or without a title or content are left out.
 * `npx tsx scripts/wxr-search-corpus.ts IN.xml OUT.json`
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { parseHTML } from 'linkedom';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: tsx scripts/wxr-search-corpus.ts IN.xml OUT.json');
  process.exit(2);
}

type Value = string | { '#text'?: string; '@_domain'?: string };
type Item = Record<string, Value | Value[] | undefined>;

const text = (value: Value | Value[] | undefined): string => {
  const one = Array.isArray(value) ? value[0] : value;
  return (typeof one === 'object' ? (one['#text'] ?? '') : (one ?? '')).toString();
};

/** Excerpts may hold markup; the dek is plain text. */
const plain = (html: string): string => (parseHTML(`<!doctype html><html><body>${html}</body></html>`).document.body.textContent ?? '').replace(/\s+/g, ' ').trim();

/** `2013-01-11 03:16:56` (GMT) → ISO-8601; WordPress writes zeros for posts never published. */
const isoGmt = (value: string, fallback: string): string => (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value) && !value.startsWith('0000') ? `${value.replace(' ', 'T')}.000Z` : new Date(fallback).toISOString());

const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, trimValues: true, isArray: (name) => name === 'item' || name === 'category' });
const rss = parser.parse(readFileSync(input, 'utf8')) as { rss: { channel: { item: Item[] } } };
const items = rss.rss.channel.item;
const skipped = { notPost: 0, notPublished: 0, password: 0, noTitle: 0, noContent: 0 };
const articles = [];
for (const item of items) {
  if (text(item['wp:post_type']) !== 'post') skipped.notPost++;
  else if (text(item['wp:status']) !== 'publish') skipped.notPublished++;
  else if (text(item['wp:post_password'])) skipped.password++;
  else if (!text(item.title).trim()) skipped.noTitle++;
  // Broadsheet requires a headline and a body.
  else if (!text(item['content:encoded']).trim()) skipped.noContent++;
  else {
    const categories = (item.category ?? []) as Value[];
    articles.push({
      key: `wp-${text(item['wp:post_id'])}`,
      slug: decodeURIComponent(text(item['wp:post_name'])),
      headline: text(item.title).trim(),
      dek: plain(text(item['excerpt:encoded'])),
      bodyHtml: text(item['content:encoded']),
      tags: categories.filter((c) => typeof c === 'object' && c['@_domain'] === 'post_tag').map((c) => text(c).trim()),
      publishedAt: isoGmt(text(item['wp:post_date_gmt']), text(item.pubDate)),
    });
  }
}
writeFileSync(output, `${JSON.stringify({ source: basename(input), articles }, null, 1)}\n`);
console.error(`${articles.length} posts written to ${output}; skipped ${JSON.stringify(skipped)} of ${items.length} items`);
