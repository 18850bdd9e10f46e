/**
 * `broadsheet export wxr`: the whole site as a WordPress eXtended RSS 1.2 file (what WordPress's own Tools → Export
 * writes and its importer reads), written item by item with xmlbuilder2's streaming builder.
 */
import { createCB } from 'xmlbuilder2';
import { DateTime } from 'luxon';
import type { DB } from '../../db/database.ts';
import type { ArticleStatus, CommentStatus } from '../../db/schema.ts';
import { listSections, listTags } from '../../articles/taxonomy-store.ts';
import { isoNow, type Clock } from '../../lib/clock.ts';
import { escapeHtml } from '../../lib/escape-html.ts';
import { articlePath } from '../../web/site.ts';
import type { ExportCounts, ExportSite } from './export-json.ts';
import type { ExportSink } from './output.ts';
import { articleBatches, inSnapshot, listExportAuthors, type ExportArticle, type ExportComment } from './store.ts';

/**
 * Broadsheet status → wp:status. An unpublished article (taken off the site after publication) becomes `private`:
 * in WordPress that is a post only the newsroom sees, which keeps it off the public site while keeping its
 * publication date and telling it apart from a draft that never ran.
 */
export const WP_STATUS: Record<ArticleStatus, string> = { published: 'publish', scheduled: 'future', draft: 'draft', pending: 'pending', unpublished: 'private' };

/** Comment status → wp:comment_approved. */
export const WP_APPROVED: Record<CommentStatus, string> = { approved: '1', pending: '0', spam: 'spam', trash: 'trash' };

export interface WxrSite extends ExportSite {
  /** IANA zone of wp:post_date and wp:comment_date (WordPress's local times); the *_gmt twins are UTC. */
  timeZone: string;
  language: string;
}

type XMLBuilderCB = ReturnType<typeof createCB>;

const NS = {
  excerpt: 'http://wordpress.org/export/1.2/excerpt/',
  content: 'http://purl.org/rss/1.0/modules/content/',
  wfw: 'http://wellformedweb.org/CommentAPI/',
  dc: 'http://purl.org/dc/elements/1.1/',
  wp: 'http://wordpress.org/export/1.2/',
};

/** WordPress's "not set" time: a draft that never ran has this as its wp:post_date_gmt. */
const ZERO_DATE = '0000-00-00 00:00:00';

/** Characters XML 1.0 cannot carry even escaped (C0 controls but tab and newlines, U+FFFE/U+FFFF, lone surrogates). */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const xmlText = (text: string): string => text.replace(NOT_XML, '');

const gmt = (iso: string): string => iso.slice(0, 19).replace('T', ' ');
const local = (iso: string, zone: string): string => DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).toFormat('yyyy-MM-dd HH:mm:ss');

/**
 * The builder and the depth it is at. Pretty printing would also indent text and CDATA, changing the content, so
 * each element is put on its own line by hand: one tab per level, as WordPress writes it.
 */
interface Writer {
  xml: XMLBuilderCB;
  depth: number;
}

/** A new line at the writer's depth, then `<name …>`. */
function start(w: Writer, name: string, attributes?: Record<string, string>): XMLBuilderCB {
  w.xml.txt(`\n${'\t'.repeat(w.depth)}`);
  return w.xml.ele(name, attributes);
}

function open(w: Writer, name: string): void {
  start(w, name);
  w.depth++;
}

function close(w: Writer): void {
  w.depth--;
  w.xml.txt(`\n${'\t'.repeat(w.depth)}`).up();
}

/** `<name>text</name>`, escaped. */
function field(w: Writer, name: string, text: string | number, attributes?: Record<string, string>): void {
  const element = start(w, name, attributes);
  if (text !== '') element.txt(xmlText(String(text)));
  element.up();
}

/**
 * `<name><![CDATA[text]]></name>`. A CDATA section cannot hold "]]>", so the text is cut there into sections that
 * end in "]]" and start with ">" (the usual split): a parser joins them back into the original text.
 */
function cdata(w: Writer, name: string, text: string, attributes?: Record<string, string>): void {
  const element = start(w, name, attributes);
  const parts = xmlText(text).split(']]>');
  if (text !== '') parts.forEach((part, i) => element.dat(`${i > 0 ? '>' : ''}${part}${i < parts.length - 1 ? ']]' : ''}`));
  element.up();
}

/** `<name>` holding one element per entry of `children`: numbers as they are, text in CDATA. */
function group(w: Writer, name: string, children: Record<string, string | number>): void {
  open(w, name);
  for (const [child, value] of Object.entries(children)) (typeof value === 'number' ? field : cdata)(w, child, String(value));
  close(w);
}

function comment(w: Writer, c: ExportComment, zone: string): void {
  group(w, 'wp:comment', {
    'wp:comment_id': c.id,
    'wp:comment_author': c.author_name,
    'wp:comment_author_email': c.author_email,
    'wp:comment_author_url': c.author_url,
    'wp:comment_author_IP': '',
    'wp:comment_date': local(c.created_at, zone),
    'wp:comment_date_gmt': gmt(c.created_at),
    // The text as the commenter typed it, as HTML: WordPress makes paragraphs of its blank lines itself.
    'wp:comment_content': escapeHtml(c.body),
    'wp:comment_approved': WP_APPROVED[c.status],
    'wp:comment_type': '',
    'wp:comment_parent': c.parent_id ?? 0,
    'wp:comment_user_id': 0,
  });
}

function postmeta(w: Writer, key: string, value: string): void {
  group(w, 'wp:postmeta', { 'wp:meta_key': key, 'wp:meta_value': value });
}

function item(w: Writer, a: ExportArticle, site: WxrSite, sections: ReadonlyMap<number, { slug: string; name: string }>): void {
  const r = a.row;
  // A post that never ran has no GMT date in WordPress; its local date is when it was written.
  const shown = r.published_at ?? r.created_at;
  open(w, 'item');
  // WordPress titles and excerpts are HTML; Broadsheet's headline and dek are text.
  field(w, 'title', escapeHtml(r.headline));
  field(w, 'link', `${site.url}${articlePath(r)}`);
  field(w, 'pubDate', new Date(shown).toUTCString());
  cdata(w, 'dc:creator', a.authors[0]?.slug ?? '');
  field(w, 'guid', `${site.url}/?p=${r.id}`, { isPermaLink: 'false' });
  field(w, 'description', '');
  cdata(w, 'content:encoded', r.body_html);
  cdata(w, 'excerpt:encoded', escapeHtml(r.dek));
  field(w, 'wp:post_id', r.id);
  field(w, 'wp:post_date', local(shown, site.timeZone));
  field(w, 'wp:post_date_gmt', r.published_at ? gmt(r.published_at) : ZERO_DATE);
  field(w, 'wp:post_modified', local(r.updated_at, site.timeZone));
  field(w, 'wp:post_modified_gmt', gmt(r.updated_at));
  field(w, 'wp:comment_status', r.comment_status);
  field(w, 'wp:ping_status', 'closed');
  field(w, 'wp:post_name', r.slug);
  field(w, 'wp:status', WP_STATUS[r.status]);
  field(w, 'wp:post_parent', 0);
  field(w, 'wp:menu_order', 0);
  field(w, 'wp:post_type', r.kind === 'page' ? 'page' : 'post');
  field(w, 'wp:post_password', '');
  field(w, 'wp:is_sticky', 0);
  const section = r.section_id === null ? undefined : sections.get(r.section_id);
  if (section) cdata(w, 'category', section.name, { domain: 'category', nicename: section.slug });
  for (const tag of a.tags) cdata(w, 'category', tag.name, { domain: 'post_tag', nicename: tag.slug });
  // Every byline in order, as the Co-Authors Plus plugin exports them (WordPress itself has one author per post).
  for (const author of a.authors) cdata(w, 'category', author.name, { domain: 'author', nicename: `cap-${author.slug}` });
  for (const old of a.oldSlugs) postmeta(w, '_wp_old_slug', old);
  if (r.dateline) postmeta(w, 'broadsheet_dateline', r.dateline);
  for (const credit of a.credits) postmeta(w, 'broadsheet_credit', credit);
  for (const c of a.corrections) postmeta(w, 'broadsheet_correction', `${c.created_at} ${c.text}`);
  for (const c of a.comments) comment(w, c, site.timeZone);
  close(w);
}

/**
 * Writes every article and page of every status, with sections, tags, byline authors and comments of every status,
 * to `sink` as WXR 1.2; read in one snapshot a batch at a time, written an item at a time.
 */
export async function exportWxr(db: DB, clock: Clock, site: WxrSite, sink: ExportSink): Promise<ExportCounts> {
  return inSnapshot(db, async (tx) => {
    let pending = '';
    const xml = createCB({ data: (chunk: string) => void (pending += chunk), prettyPrint: false });
    const w: Writer = { xml, depth: 0 };
    let failure: Error | undefined;
    xml.on('error', (error: Error) => void (failure ??= error));
    const flush = async (): Promise<void> => {
      if (failure) throw failure;
      await sink.write(pending);
      pending = '';
    };

    xml.dec({ version: '1.0', encoding: 'UTF-8' });
    xml.ele('rss', { version: '2.0', 'xmlns:excerpt': NS.excerpt, 'xmlns:content': NS.content, 'xmlns:wfw': NS.wfw, 'xmlns:dc': NS.dc, 'xmlns:wp': NS.wp });
    w.depth = 1;
    open(w, 'channel');
    field(w, 'title', site.name);
    field(w, 'link', site.url);
    field(w, 'description', '');
    field(w, 'pubDate', new Date(isoNow(clock)).toUTCString());
    field(w, 'language', site.language);
    field(w, 'wp:wxr_version', '1.2');
    field(w, 'wp:base_site_url', site.url);
    field(w, 'wp:base_blog_url', site.url);
    for (const a of await listExportAuthors(tx)) {
      group(w, 'wp:author', { 'wp:author_id': a.id, 'wp:author_login': a.slug, 'wp:author_email': a.email, 'wp:author_display_name': a.name, 'wp:author_first_name': '', 'wp:author_last_name': '' });
    }
    const sections = await listSections(tx);
    for (const s of sections) {
      group(w, 'wp:category', { 'wp:term_id': s.id, 'wp:category_nicename': s.slug, 'wp:category_parent': '', 'wp:cat_name': s.name, 'wp:category_description': s.description });
    }
    for (const t of await listTags(tx)) group(w, 'wp:tag', { 'wp:term_id': t.id, 'wp:tag_slug': t.slug, 'wp:tag_name': t.name });
    field(w, 'generator', 'Broadsheet');
    await flush();

    const bySection = new Map(sections.map((s) => [s.id, { slug: s.slug, name: s.name }]));
    const counts: ExportCounts = { articles: 0, pages: 0, comments: 0 };
    for await (const batch of articleBatches(tx)) {
      for (const a of batch) {
        item(w, a, site, bySection);
        await flush();
        counts[a.row.kind === 'page' ? 'pages' : 'articles']++;
        counts.comments += a.comments.length;
      }
    }
    close(w);
    xml.txt('\n').up().end();
    await flush();
    return counts;
  });
}
