/** Writes a large, realistic WordPress export (WXR 1.2) from the news corpus, streaming: for import benchmarks. */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { COMMENT_OPENERS, corpusSentence, FIRST, GENERAL_TAGS, LAST, paragraphsOf, prng, readCorpus, slugOf, TAGS, variedTitle, type CorpusArticle } from './corpus.ts';

export interface GeneratedWxr {
  posts: number;
  comments: number;
  bytes: number;
}

// Characters XML 1.0 forbids anywhere, even inside CDATA.
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Text as CDATA; a "]]>" inside is split across two sections, as WordPress's own exporter does. */
export function cdata(text: string): string {
  return `<![CDATA[${text.replace(FORBIDDEN, '').replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/** Text for an attribute value or plain element content. */
export function escapeXml(text: string): string {
  return text.replace(FORBIDDEN, '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}

/** "YYYY-MM-DD hh:mm:ss", WordPress's stored date format, of epoch `ms` shifted by `offsetHours`. */
function wpDate(ms: number, offsetHours = 0): string {
  return new Date(ms + offsetHours * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

const AUTHOR_COUNT = 36;
const DAY_MS = 86_400_000;
const FIRST_POST = Date.UTC(2004, 0, 1);
const LAST_POST = Date.UTC(2025, 11, 31);

/**
 * The body as WordPress stores it: classic-editor paragraphs separated by blank lines (autop adds <p> on display),
 * with now and then a [caption] shortcode, or the whole post in block-editor <!-- wp:paragraph --> comments.
 */
function bodyOf(paragraphs: string[], postId: number, rand: () => number): string {
  const r = rand();
  if (r < 0.25) return paragraphs.map((p) => `<!-- wp:paragraph -->\n<p>${p}</p>\n<!-- /wp:paragraph -->`).join('\n\n');
  const parts = [...paragraphs];
  if (r < 0.4) {
    const img = `<img class="size-medium wp-image-${postId + 1_000_000}" src="https://news.example.com/wp-content/uploads/${postId}.jpg" alt="" width="300" height="200" />`;
    parts.splice(1, 0, `[caption id="attachment_${postId + 1_000_000}" align="alignright" width="300"]${img} Photograph: Agency[/caption]`);
  }
  if (r > 0.97) parts.push('<em>Correction: an earlier version of this story gave the wrong date.</em>');
  return parts.join('\n\n');
}

/**
 * Streams a WXR 1.2 export of `posts` posts to `out`, cycling the corpus at `corpusPath` with varied titles, unique
 * post_name, post_id and guid, dates from 2004 to 2025, 36 authors, the section as category, tags, and 0–7 comments
 * per post (threaded; approved, pending, spam, and a pingback now and then). Never holds more than one post.
 */
export async function generateWxr(corpusPath: string, out: string, posts: number, seed = 20240601): Promise<GeneratedWxr> {
  const corpus = await readCorpus(corpusPath);
  const rand = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const stream = createWriteStream(out, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let bytes = 0;
  const write = async (text: string): Promise<void> => {
    bytes += Buffer.byteLength(text);
    if (!stream.write(text)) await once(stream, 'drain');
  };

  const authors = Array.from({ length: AUTHOR_COUNT }, (_, i) => {
    const first = FIRST[i % FIRST.length] as string;
    const last = LAST[(i * 7) % LAST.length] as string;
    return { login: `${slugOf(first)}${slugOf(last)}${i}`, name: `${first} ${last}`, email: `${slugOf(first)}.${slugOf(last)}${i}@news.example.com` };
  });
  const sections = [...new Set(corpus.map((a) => a.section))];
  const sectionName = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

  await write(`<?xml version="1.0" encoding="UTF-8" ?>
<!-- generator="Broadsheet bench/import-wxr.ts" created="2025-01-01 00:00" -->
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
\t<title>Benchmark News</title>
\t<link>https://news.example.com</link>
\t<description>Generated for the WXR import benchmark</description>
\t<pubDate>Wed, 01 Jan 2025 00:00:00 +0000</pubDate>
\t<language>en-GB</language>
\t<wp:wxr_version>1.2</wp:wxr_version>
\t<wp:base_site_url>https://news.example.com</wp:base_site_url>
\t<wp:base_blog_url>https://news.example.com</wp:base_blog_url>
`);
  for (const [i, a] of authors.entries()) {
    await write(`\t<wp:author><wp:author_id>${i + 1}</wp:author_id><wp:author_login>${cdata(a.login)}</wp:author_login><wp:author_email>${cdata(a.email)}</wp:author_email><wp:author_display_name>${cdata(a.name)}</wp:author_display_name><wp:author_first_name>${cdata(a.name.split(' ')[0] ?? '')}</wp:author_first_name><wp:author_last_name>${cdata(a.name.split(' ').slice(1).join(' '))}</wp:author_last_name></wp:author>\n`);
  }
  for (const [i, s] of sections.entries()) {
    await write(`\t<wp:category><wp:term_id>${i + 1}</wp:term_id><wp:category_nicename>${cdata(s)}</wp:category_nicename><wp:category_parent>${cdata('')}</wp:category_parent><wp:cat_name>${cdata(sectionName(s))}</wp:cat_name></wp:category>\n`);
  }
  const allTags = [...new Set([...Object.values(TAGS).flat(), ...GENERAL_TAGS])];
  for (const [i, t] of allTags.entries()) {
    await write(`\t<wp:tag><wp:term_id>${100 + i}</wp:term_id><wp:tag_slug>${cdata(slugOf(t))}</wp:tag_slug><wp:tag_name>${cdata(t)}</wp:tag_name></wp:tag>\n`);
  }

  const usedNames = new Set<string>();
  let commentId = 0;
  for (let n = 0; n < posts; n++) {
    const source = corpus[n % corpus.length] as CorpusArticle;
    const postId = 10 + n * 3; // gaps, as attachments and revisions leave in real exports
    const title = variedTitle(source.title, n, corpus.length);
    let name = slugOf(title);
    if (usedNames.has(name)) name = `${name}-${postId}`;
    usedNames.add(name);
    // Spread evenly over the years, in file order, with up to a day of jitter; local time is UTC+1 (a summer site).
    const at = FIRST_POST + Math.floor(((LAST_POST - FIRST_POST) * n) / Math.max(1, posts)) + Math.floor(rand() * DAY_MS);
    const author = pick(authors);
    const statusRoll = rand();
    const status = statusRoll < 0.95 ? 'publish' : statusRoll < 0.98 ? 'draft' : 'pending';
    const paragraphs = paragraphsOf(source.body);
    const tags = new Set<string>();
    for (let t = 1 + Math.floor(rand() * 3); t > 0; t--) tags.add(pick(TAGS[source.section] ?? GENERAL_TAGS));
    if (rand() < 0.3) tags.add(pick(GENERAL_TAGS));
    const link = `https://news.example.com/${wpDate(at).slice(0, 10).replaceAll('-', '/')}/${name}/`;

    let item = `\t<item>
\t\t<title>${cdata(title)}</title>
\t\t<link>${escapeXml(link)}</link>
\t\t<pubDate>${new Date(at).toUTCString().replace('GMT', '+0000')}</pubDate>
\t\t<dc:creator>${cdata(author.login)}</dc:creator>
\t\t<guid isPermaLink="false">https://news.example.com/?p=${postId}</guid>
\t\t<description></description>
\t\t<content:encoded>${cdata(bodyOf(paragraphs, postId, rand))}</content:encoded>
\t\t<excerpt:encoded>${cdata(rand() < 0.5 ? paragraphs[0]?.split('. ')[0] ?? '' : '')}</excerpt:encoded>
\t\t<wp:post_id>${postId}</wp:post_id>
\t\t<wp:post_date>${cdata(wpDate(at, 1))}</wp:post_date>
\t\t<wp:post_date_gmt>${cdata(status === 'publish' ? wpDate(at) : '0000-00-00 00:00:00')}</wp:post_date_gmt>
\t\t<wp:post_modified>${cdata(wpDate(at + DAY_MS, 1))}</wp:post_modified>
\t\t<wp:post_modified_gmt>${cdata(wpDate(at + DAY_MS))}</wp:post_modified_gmt>
\t\t<wp:comment_status>${cdata('open')}</wp:comment_status>
\t\t<wp:ping_status>${cdata('open')}</wp:ping_status>
\t\t<wp:post_name>${cdata(name)}</wp:post_name>
\t\t<wp:status>${cdata(status)}</wp:status>
\t\t<wp:post_parent>0</wp:post_parent>
\t\t<wp:menu_order>0</wp:menu_order>
\t\t<wp:post_type>${cdata('post')}</wp:post_type>
\t\t<wp:post_password>${cdata('')}</wp:post_password>
\t\t<wp:is_sticky>0</wp:is_sticky>
\t\t<category domain="category" nicename="${escapeXml(source.section)}">${cdata(sectionName(source.section))}</category>
`;
    for (const t of tags) item += `\t\t<category domain="post_tag" nicename="${escapeXml(slugOf(t))}">${cdata(t)}</category>\n`;
    item += `\t\t<wp:postmeta>\n\t\t\t<wp:meta_key>${cdata('_edit_last')}</wp:meta_key>\n\t\t\t<wp:meta_value>${cdata('1')}</wp:meta_value>\n\t\t</wp:postmeta>\n`;

    const firstId = commentId + 1;
    const commentCount = Math.floor(rand() * 8); // 0–7, 3.5 on average
    for (let c = 0; c < commentCount; c++) {
      const id = ++commentId;
      const roll = rand();
      const pingback = roll < 0.04;
      const approved = pingback ? '1' : roll < 0.8 ? '1' : roll < 0.92 ? '0' : 'spam';
      const parent = !pingback && id > firstId && rand() < 0.4 ? firstId + Math.floor(rand() * (id - firstId)) : 0;
      const who = `${pick(FIRST)} ${pick(LAST)}`;
      const cAt = at + Math.floor(rand() * 3 * DAY_MS) + (c + 1) * 60_000;
      const quote = corpusSentence(corpus, rand);
      // Now and then a "]]>" in the text, which the CDATA writer must split.
      const content = pingback
        ? `[&#8230;] ${quote.slice(0, 120)} [&#8230;]`
        : approved === 'spam'
          ? `Cheap watches <a href="http://spam.example.net/${id}">click here</a> best price!!!`
          : `${pick(COMMENT_OPENERS)} ${quote}${id % 997 === 0 ? ' As a programmer: a[b[0]]> c.' : ''}${rand() < 0.2 ? `\n\n${pick(COMMENT_OPENERS)}` : ''}`;
      item += `\t\t<wp:comment>
\t\t\t<wp:comment_id>${id}</wp:comment_id>
\t\t\t<wp:comment_author>${cdata(pingback ? 'Another News Blog' : who)}</wp:comment_author>
\t\t\t<wp:comment_author_email>${cdata(pingback ? '' : `${slugOf(who)}${id % 50}@mail.example.org`)}</wp:comment_author_email>
\t\t\t<wp:comment_author_url>${escapeXml(pingback ? `https://blog.example.org/${id}/` : rand() < 0.2 ? `https://www.example.org/~${slugOf(who)}` : '')}</wp:comment_author_url>
\t\t\t<wp:comment_author_IP>${cdata(`192.0.2.${id % 254 + 1}`)}</wp:comment_author_IP>
\t\t\t<wp:comment_date>${cdata(wpDate(cAt, 1))}</wp:comment_date>
\t\t\t<wp:comment_date_gmt>${cdata(wpDate(cAt))}</wp:comment_date_gmt>
\t\t\t<wp:comment_content>${cdata(content)}</wp:comment_content>
\t\t\t<wp:comment_approved>${cdata(approved)}</wp:comment_approved>
\t\t\t<wp:comment_type>${cdata(pingback ? 'pingback' : 'comment')}</wp:comment_type>
\t\t\t<wp:comment_parent>${parent}</wp:comment_parent>
\t\t\t<wp:comment_user_id>0</wp:comment_user_id>
\t\t</wp:comment>
`;
    }
    await write(`${item}\t</item>\n`);
  }
  await write('</channel>\n</rss>\n');
  stream.end();
  await once(stream, 'finish');
  return { posts, comments: commentId, bytes };
}
