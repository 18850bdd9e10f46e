/** Streaming reader of WordPress eXtended RSS (WXR) exports: yields authors and items without holding the file. */
import { ImportFileError } from '../report.ts';
import { createReadStream } from 'node:fs';
import { SaxesParser, type SaxesTagNS } from 'saxes';

/** The file is not XML, or not a WordPress export; `reason` is for the operator. */
export class WxrError extends ImportFileError {}

export interface WxrAuthor {
  /** wp:author_id, '' in old exports. */
  id: string;
  login: string;
  displayName: string;
}

/** A channel-level term (wp:category, wp:tag or wp:term): defined even when no post uses it. */
export interface WxrTerm {
  /** "category", "post_tag", "nav_menu", … */
  taxonomy: string;
  id: string;
  /** Percent-encoded as WordPress stores it. */
  slug: string;
  name: string;
  parent: string;
  description: string;
}

export interface WxrCategory {
  /** "category", "post_tag", or another taxonomy. */
  domain: string;
  nicename: string;
  name: string;
}

export interface WxrComment {
  id: string;
  author: string;
  email: string;
  url: string;
  date: string;
  dateGmt: string;
  content: string;
  approved: string;
  /** '' for a comment; "pingback" or "trackback" otherwise. */
  type: string;
  parent: string;
}

export interface WxrItem {
  title: string;
  guid: string;
  creator: string;
  content: string;
  excerpt: string;
  postId: string;
  postDate: string;
  postDateGmt: string;
  postName: string;
  status: string;
  postType: string;
  password: string;
  link: string;
  postParent: string;
  /** Attachments only: the file's URL. */
  attachmentUrl: string;
  isSticky: string;
  commentStatus: string;
  /** The wp:postmeta entries Broadsheet uses (META_KEYS); others are not kept. */
  meta: Record<string, string>;
  categories: WxrCategory[];
  comments: WxrComment[];
}

/** Post meta that matters for an import: the featured image and an attachment's alt text. */
const META_KEYS = new Set(['_thumbnail_id', '_wp_attachment_image_alt']);

export type WxrEntry = { kind: 'author'; author: WxrAuthor } | { kind: 'term'; term: WxrTerm } | { kind: 'item'; item: WxrItem };

/**
 * The short name of an element: `wp:x`, `content:x`, `excerpt:x`, `dc:x`, or its bare local name (RSS). Matched by
 * namespace URI whatever the export version or scheme (http/https), falling back to the prefix the file uses.
 */
export function shortName(tag: Pick<SaxesTagNS, 'uri' | 'local' | 'prefix'>): string {
  const uri = tag.uri.replace(/^https?:\/\//, '').replace(/\/$/, '');
  let ns = '';
  if (/^wordpress\.org\/export\/[\d.]+\/excerpt$/.test(uri)) ns = 'excerpt';
  else if (/^wordpress\.org\/export\/[\d.]+$/.test(uri)) ns = 'wp';
  else if (uri === 'purl.org/rss/1.0/modules/content') ns = 'content';
  else if (uri === 'purl.org/dc/elements/1.1') ns = 'dc';
  else if (['wp', 'content', 'excerpt', 'dc'].includes(tag.prefix)) ns = tag.prefix;
  else if (uri) ns = tag.prefix || 'ns';
  return ns ? `${ns}:${tag.local}` : tag.local;
}

const ITEM_FIELDS: Record<string, keyof WxrItem> = {
  title: 'title', guid: 'guid', 'dc:creator': 'creator', 'content:encoded': 'content', 'excerpt:encoded': 'excerpt',
  'wp:post_id': 'postId', 'wp:post_date': 'postDate', 'wp:post_date_gmt': 'postDateGmt', 'wp:post_name': 'postName',
  'wp:status': 'status', 'wp:post_type': 'postType', 'wp:post_password': 'password', link: 'link', 'wp:post_parent': 'postParent',
  'wp:attachment_url': 'attachmentUrl', 'wp:is_sticky': 'isSticky', 'wp:comment_status': 'commentStatus',
};
/** Channel-level term elements and their fields, per WXR 1.0–1.2. */
const TERM_ELEMENTS: Record<string, { taxonomy?: string; fields: Record<string, keyof WxrTerm> }> = {
  'wp:category': { taxonomy: 'category', fields: { 'wp:term_id': 'id', 'wp:category_nicename': 'slug', 'wp:cat_name': 'name', 'wp:category_parent': 'parent', 'wp:category_description': 'description' } },
  'wp:tag': { taxonomy: 'post_tag', fields: { 'wp:term_id': 'id', 'wp:tag_slug': 'slug', 'wp:tag_name': 'name', 'wp:tag_description': 'description' } },
  'wp:term': { fields: { 'wp:term_id': 'id', 'wp:term_taxonomy': 'taxonomy', 'wp:term_slug': 'slug', 'wp:term_name': 'name', 'wp:term_parent': 'parent', 'wp:term_description': 'description' } },
};
const COMMENT_FIELDS: Record<string, keyof WxrComment> = {
  'wp:comment_id': 'id', 'wp:comment_author': 'author', 'wp:comment_author_email': 'email', 'wp:comment_author_url': 'url',
  'wp:comment_date': 'date', 'wp:comment_date_gmt': 'dateGmt', 'wp:comment_content': 'content', 'wp:comment_approved': 'approved',
  'wp:comment_type': 'type', 'wp:comment_parent': 'parent',
};

/** Values shorter than this (characters) are copied out of the read chunk; bodies are not, and do not outlive their item. */
const DETACH_BELOW = 2048;
/** A copy of `s` that shares no memory with the string it was sliced from. */
const detach = (s: string): string => (s.length ? Buffer.from(s, 'utf8').toString('utf8') : '');

const emptyItem = (): WxrItem => ({
  title: '', guid: '', creator: '', content: '', excerpt: '', postId: '', postDate: '', postDateGmt: '', postName: '', status: '', postType: '', password: '',
  link: '', postParent: '', attachmentUrl: '', isSticky: '', commentStatus: '', meta: {}, categories: [], comments: [],
});
const emptyComment = (): WxrComment => ({ id: '', author: '', email: '', url: '', date: '', dateGmt: '', content: '', approved: '', type: '', parent: '' });

/**
 * Reads the WXR file at `path` chunk by chunk, yielding each author (wp:author), channel-level term (wp:category,
 * wp:tag, wp:term) and item as it closes; `onBytes` hears how many bytes have been read after each chunk. Throws
 * WxrError when the file is not well-formed XML or not a WordPress export (root `rss` without wp:wxr_version before
 * the first item) — the latter before any item is yielded.
 */
export async function* readWxr(path: string, opts: { onBytes?: (bytesRead: number) => void } = {}): AsyncGenerator<WxrEntry> {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const ready: WxrEntry[] = [];
  const stack: string[] = [];
  let text = '';
  let item: WxrItem | undefined;
  let comment: WxrComment | undefined;
  let author: Partial<WxrAuthor> | undefined;
  let term: WxrTerm | undefined;
  let meta: { key: string; value: string } | undefined;
  let category: Omit<WxrCategory, 'name'> | undefined;
  let isWxr = false;
  let failure: WxrError | undefined;

  // saxes never reads a DTD: custom and external entities (XXE, "billion laughs") are undefined, so refused.
  parser.on('error', (error) => { failure ??= new WxrError(`not well-formed XML: ${error.message}${/entity/i.test(error.message) ? ' (DTDs and custom entities are not supported)' : ''}`); });
  parser.on('opentag', (tag) => {
    const name = shortName(tag);
    if (stack.length === 0 && name !== 'rss') failure ??= new WxrError(`not a WordPress export: the root element is <${tag.name}>, not <rss>`);
    stack.push(name);
    text = '';
    if (name === 'item' && !item) {
      if (!isWxr) failure ??= new WxrError('not a WordPress export: no wp:wxr_version before the first item');
      item = emptyItem();
    } else if (name === 'wp:comment' && item) comment = emptyComment();
    else if (name === 'wp:author' && !item) author = {};
    else if (TERM_ELEMENTS[name] && !item && stack.length === 3) term = { taxonomy: TERM_ELEMENTS[name]!.taxonomy ?? '', id: '', slug: '', name: '', parent: '', description: '' };
    else if (name === 'wp:postmeta' && item && !comment) meta = { key: '', value: '' };
    else if (name === 'category' && item && stack.length >= 2 && stack[stack.length - 2] === 'item') {
      const attr = (local: string): string => String(Object.values(tag.attributes).find((a) => typeof a !== 'string' && a.local === local)?.value ?? '');
      category = { domain: attr('domain'), nicename: attr('nicename') };
    }
  });
  parser.on('text', (t) => { text += t; });
  parser.on('cdata', (t) => { text += t; });
  parser.on('closetag', () => {
    const name = stack.pop() ?? '';
    const parent = stack[stack.length - 1];
    // Short values (ids, guids, slugs, URLs) may outlive the item in the importer's maps: give them their own memory,
    // or each would keep its whole 64 KB read chunk alive (V8 slices strings) and the file would pile up in memory.
    if (text.length < DETACH_BELOW) text = detach(text);
    if (name === 'wp:wxr_version') isWxr = true;
    else if (author && parent === 'wp:author') {
      if (name === 'wp:author_login') author.login = text.trim();
      if (name === 'wp:author_display_name') author.displayName = text.trim();
      if (name === 'wp:author_id') author.id = text.trim();
    } else if (name === 'wp:author' && author) {
      if (author.login) ready.push({ kind: 'author', author: { id: author.id ?? '', login: author.login, displayName: author.displayName || author.login } });
      author = undefined;
    } else if (term && TERM_ELEMENTS[parent ?? '']?.fields[name]) term[TERM_ELEMENTS[parent!]!.fields[name]!] = text.trim();
    else if (term && TERM_ELEMENTS[name]) {
      if (term.id || term.slug) ready.push({ kind: 'term', term });
      term = undefined;
    } else if (meta && parent === 'wp:postmeta') {
      if (name === 'wp:meta_key') meta.key = text.trim();
      if (name === 'wp:meta_value') meta.value = text;
    } else if (name === 'wp:postmeta' && meta && item) {
      if (META_KEYS.has(meta.key)) item.meta[meta.key] = meta.value.trim();
      meta = undefined;
    } else if (comment && parent === 'wp:comment' && COMMENT_FIELDS[name]) comment[COMMENT_FIELDS[name]] = text;
    else if (name === 'wp:comment' && comment && item) {
      item.comments.push(comment);
      comment = undefined;
    } else if (item && parent === 'item' && name === 'category' && category) {
      item.categories.push({ ...category, name: text.trim() });
      category = undefined;
    } else if (item && parent === 'item' && ITEM_FIELDS[name]) (item as unknown as Record<string, string>)[ITEM_FIELDS[name]] = text;
    else if (name === 'item' && item) {
      ready.push({ kind: 'item', item });
      item = undefined;
    }
    text = '';
  });

  const stream = createReadStream(path, { encoding: 'utf8' });
  let sawAnything = false;
  for await (const chunk of stream as AsyncIterable<string>) {
    if (chunk.length) sawAnything = true;
    parser.write(chunk);
    if (failure) throw failure;
    opts.onBytes?.(stream.bytesRead);
    yield* ready.splice(0);
  }
  if (!sawAnything) throw new WxrError('the file is empty');
  parser.close();
  if (failure) throw failure;
  if (!isWxr) throw new WxrError('not a WordPress export: no wp:wxr_version element');
  yield* ready.splice(0);
}
