/** WXR items to Broadsheet article input: status, dates, slug, byline, section, tags and body. */
import type { ArticleInput } from '../../articles/service.ts';
import type { ArticleStatus } from '../../db/schema.ts';
import { autop, stripBlockComments } from './autop.ts';
import type { WxrItem } from './parse.ts';

const STATUS: Record<string, ArticleStatus> = { publish: 'published', future: 'scheduled', draft: 'draft', pending: 'pending' };

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

function decodeSlug(name: string): string {
  try {
    return decodeURIComponent(name.trim());
  } catch {
    return name.trim();
  }
}

/**
 * The article to write for `item`, or the reason it is skipped (not a post; private, trashed or other statuses).
 * Password-protected posts become drafts, so their text is kept but never shown until an editor decides.
 */
export function articleFromItem(item: WxrItem, authorNames: ReadonlyMap<string, string>): { input: ArticleInput } | { skip: string } {
  const type = item.postType.trim() || 'post';
  if (type !== 'post') return { skip: `post type ${type}` };
  const wpStatus = item.status.trim();
  let status = STATUS[wpStatus];
  if (!status) return { skip: wpStatus === 'private' || wpStatus === 'trash' ? `${wpStatus} post` : `status ${wpStatus || '(none)'}` };
  if (item.password.trim()) status = 'draft';
  const login = item.creator.trim();
  const byline = login ? authorNames.get(login) ?? login : '';
  const section = item.categories.find((c) => c.domain === 'category' && c.name);
  return {
    input: {
      headline: item.title.trim() || NO_TITLE,
      dek: item.excerpt.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim(),
      bodyHtml: autop(stripBlockComments(item.content)),
      slug: decodeSlug(item.postName) || undefined,
      status,
      publishedAt: wpDate(item.postDateGmt, item.postDate),
      authors: byline ? [{ name: byline }] : [],
      section: section ? { name: section.name } : undefined,
      tags: item.categories.filter((c) => c.domain === 'post_tag' && c.name).map((c) => c.name),
      importSource: 'wxr',
      importKey: itemKey(item),
    },
  };
}
