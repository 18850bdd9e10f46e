/** WXR items to Broadsheet article input: kind, status, dates, slug, byline, section, tags and body. */
import type { ArticleInput } from '../../articles/service.ts';
import type { ArticleStatus } from '../../db/schema.ts';
import { htmlToText } from '../../lib/sanitize.ts';
import { slugFor } from '../../lib/slug.ts';
import { renderPostBody } from './autop.ts';
import type { WxrItem } from './parse.ts';
import { convertShortcodes, linkBareUrls, type ShortcodeContext } from './shortcodes.ts';

/** wp:status → Broadsheet: private posts (editors only in WordPress) are kept, unpublished; trash is skipped. */
const STATUS: Record<string, ArticleStatus> = { publish: 'published', future: 'scheduled', draft: 'draft', pending: 'pending', private: 'unpublished' };

/** Headline given to posts whose title is empty (WordPress's own admin shows the same words). */
export const NO_TITLE = '(no title)';

/** A WordPress "YYYY-MM-DD hh:mm:ss" time as ISO-8601 UTC; undefined for the zero date or anything unreadable. */
export function wpDate(gmt: string, local = ''): string | undefined {
  for (const value of [gmt.trim(), local.trim()]) {
    if (!value || value.startsWith('0000-00-00')) continue;
    const ms = Date.parse(`${value.replace(' ', 'T')}Z`);
    if (!Number.isNaN(ms)) return new Date(ms).toISOString();
  }
  return undefined;
}

/** The importKey of an item: its guid, else `post:<wp:post_id>`. */
export function itemKey(item: WxrItem): string {
  return item.guid.trim() || `post:${item.postId.trim()}`;
}

/** A WordPress slug (post_name, nicename) with its percent-encoded UTF-8 decoded. */
export function decodeSlug(name: string): string {
  try {
    return decodeURIComponent(name.trim());
  } catch {
    return name.trim();
  }
}

/** What mapping needs besides the item: display names of author logins and the export's attachments. */
export interface WxrMapContext extends Omit<ShortcodeContext, 'postId'> {
  authorNames: ReadonlyMap<string, string>;
}

/** An item as article input, with what the report should say about it. */
export interface MappedItem {
  input: ArticleInput;
  /** Shortcodes left as text (not converted). */
  unknownShortcodes: string[];
  /** The featured image's attachment id (postmeta _thumbnail_id), if any. */
  featuredAttachmentId?: string;
  /** Things done differently from WordPress, e.g. "password-protected: imported as a draft". */
  notes: string[];
}

/**
 * The byline: Co-Authors Plus entries (`<category domain="author" nicename="cap-LOGIN">`) in order when the export has
 * them, else the post's dc:creator; each login shown under its wp:author display name.
 */
function bylineOf(item: WxrItem, authorNames: ReadonlyMap<string, string>): { name: string; slug: string }[] {
  const coAuthors = item.categories.filter((c) => c.domain === 'author' && (c.nicename || c.name)).map((c) => c.nicename.replace(/^cap-/, '') || c.name);
  const logins = coAuthors.length ? coAuthors : [item.creator.trim()].filter(Boolean);
  return [...new Set(logins)].map((login) => ({ name: authorNames.get(login) ?? login, slug: slugFor(decodeSlug(login), 'author') }));
}

/** The section slug of a category: its nicename (decoded), else one derived from its name. */
export function sectionSlug(nicename: string, name: string): string {
  return slugFor(decodeSlug(nicename) || name, 'section');
}

/**
 * The article to write for `item`, or the reason it is skipped (not a post or page; private, trashed or other
 * statuses). Password-protected posts become drafts, so their text is kept but never shown until an editor decides.
 * The first category becomes the section and any further categories become tags, so no taxonomy is lost.
 */
export function articleFromItem(item: WxrItem, ctx: WxrMapContext): MappedItem | { skip: string } {
  const type = item.postType.trim() || 'post';
  if (type !== 'post' && type !== 'page') return { skip: `post type ${type}` };
  const wpStatus = item.status.trim();
  let status = STATUS[wpStatus];
  if (!status) return { skip: wpStatus === 'trash' ? `trash ${type}` : `status ${wpStatus || '(none)'}` };
  const notes: string[] = [];
  if (wpStatus === 'private') notes.push('private: imported as unpublished (not shown to readers)');
  if (item.password.trim()) {
    status = 'draft';
    notes.push('password-protected: imported as a draft');
  }
  if (item.isSticky.trim() === '1') notes.push('sticky: imported as an ordinary article (Broadsheet has no sticky posts)');
  const authors = bylineOf(item, ctx.authorNames);
  const categories = item.categories.filter((c) => c.domain === 'category' && c.name);
  const [section, ...moreCategories] = categories;
  const tags = [...moreCategories.map((c) => c.name), ...item.categories.filter((c) => c.domain === 'post_tag' && c.name).map((c) => c.name)].map(htmlToText).filter(Boolean);
  const shortcodes = convertShortcodes(item.content, { ...ctx, postId: item.postId.trim() });
  return {
    input: {
      kind: type === 'page' ? 'page' : 'article',
      // WordPress titles and excerpts are HTML ("Title <em>With</em> Markup", "Q&amp;A"): headlines and deks are text.
      headline: htmlToText(item.title) || NO_TITLE,
      dek: htmlToText(item.excerpt),
      bodyHtml: renderPostBody(linkBareUrls(shortcodes.html)),
      slug: decodeSlug(item.postName) || undefined,
      status,
      // A draft that never ran has the zero GMT date; its local date is only when it was last saved.
      publishedAt: status === 'draft' || status === 'pending' ? wpDate(item.postDateGmt) : wpDate(item.postDateGmt, item.postDate),
      authors,
      section: section ? { name: htmlToText(section.name) || section.nicename, slug: sectionSlug(section.nicename, section.name) } : undefined,
      tags: [...new Set(tags)],
      commentStatus: item.commentStatus.trim() === 'closed' ? 'closed' : 'open',
      importSource: 'wxr',
      importKey: itemKey(item),
    },
    unknownShortcodes: shortcodes.unknown,
    featuredAttachmentId: item.meta._thumbnail_id || undefined,
    notes,
  };
}
