/** Ghost posts to Broadsheet article input: type, status, dates, slug, dek, byline, primary tag as section, tags. */
import type { ArticleInput } from '../../articles/service.ts';
import type { ArticleStatus } from '../../db/schema.ts';
import type { GhostExport, GhostPost, GhostTag, GhostUser } from './parse.ts';

/**
 * Ghost status → Broadsheet status. `sent` is a Ghost 5 email-only newsletter that never had a web page: it is kept
 * as a draft, so nothing becomes public that was not, and an editor can publish it.
 */
const STATUS: Record<string, ArticleStatus> = { published: 'published', draft: 'draft', scheduled: 'scheduled', sent: 'draft' };

/** Internal tags (`#name`, visibility 'internal') organise Ghost themes and are never shown: not imported. */
export const isInternalTag = (tag: GhostTag): boolean => tag.visibility === 'internal' || (tag.name ?? '').trim().startsWith('#');

/** A Ghost post is a page when `type` says so (Ghost 2+) or `page` is set (Ghost 1). */
export const isPage = (post: GhostPost): boolean => post.type === 'page' || post.page === true;

/** The joins of an export, by post id, each list in Ghost's sort_order. */
export interface GhostIndex {
  tagsOf: Map<string, GhostTag[]>;
  authorsOf: Map<string, GhostUser[]>;
  metaOf: Map<string, { alt: string; caption: string }>;
}

function grouped<L extends { post_id: string; sort_order?: number | null }, T>(links: L[], find: (link: L) => T | undefined): Map<string, T[]> {
  const sorted = [...links].sort((a, b) => (a.sort_order ?? 0) - (b.sort_order ?? 0));
  const map = new Map<string, T[]>();
  for (const link of sorted) {
    const row = find(link);
    if (row) map.set(link.post_id, [...(map.get(link.post_id) ?? []), row]);
  }
  return map;
}

export function indexExport(ghost: GhostExport): GhostIndex {
  const tags = new Map(ghost.tags.map((t) => [t.id, t]));
  const users = new Map(ghost.users.map((u) => [u.id, u]));
  const authorsOf = grouped(ghost.postsAuthors, (l) => users.get(l.author_id));
  // Ghost 1–3 exports name one author per post in posts.author_id and may have no posts_authors table.
  for (const post of ghost.posts) {
    const user = post.author_id ? users.get(post.author_id) : undefined;
    if (!authorsOf.has(post.id) && user) authorsOf.set(post.id, [user]);
  }
  return {
    tagsOf: grouped(ghost.postsTags, (l) => tags.get(l.tag_id)),
    authorsOf,
    metaOf: new Map(ghost.postsMeta.map((m) => [m.post_id, { alt: m.feature_image_alt ?? '', caption: m.feature_image_caption ?? '' }])),
  };
}

const plain = (html: string | null | undefined): string => (html ?? '').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();

/** The byline entry of a Ghost user: name, slug and bio only. */
export const authorOf = (user: GhostUser): { name: string; slug?: string; bio?: string } => ({ name: (user.name ?? '').trim() || (user.slug ?? '').trim(), slug: user.slug?.trim() || undefined, bio: plain(user.bio) || undefined });

/** The section of a post: its first public tag (Ghost's "primary tag"). */
export const primaryTag = (tags: readonly GhostTag[]): GhostTag | undefined => tags.find((t) => !isInternalTag(t) && !!(t.name ?? '').trim());

/**
 * The article to write for `post` (body given separately, as it may need rendering), or why it is skipped.
 * `notes` receives what an editor should know about an imported post (members-only ones are kept as drafts, email-only).
 */
export function articleFromPost(post: GhostPost, index: GhostIndex, bodyHtml: string, notes: string[]): { input: ArticleInput } | { skip: string } {
  const type = isPage(post) ? 'page' : (post.type ?? 'post');
  if (type !== 'post' && type !== 'page') return { skip: `post type ${type}` };
  const ghostStatus = (post.status ?? '').trim();
  const fromStatus = STATUS[ghostStatus];
  if (!fromStatus) return { skip: `status ${ghostStatus || '(none)'}` };
  const label = `${type} ${post.id} “${(post.title ?? '').trim()}”`;
  if (ghostStatus === 'sent') notes.push(`${label}: email-only in Ghost, imported as a draft`);
  // members, paid, tiers (Ghost 5) or a filter: Broadsheet has no paywall, so publishing it would give it away.
  const visibility = (post.visibility ?? '').trim() || 'public';
  const status = visibility === 'public' ? fromStatus : 'draft';
  if (visibility !== 'public') notes.push(`${label}: for paying members in Ghost (visibility ${visibility}), kept as a draft so nothing paywalled goes public without an editor's decision`);
  const tags = index.tagsOf.get(post.id) ?? [];
  const section = primaryTag(tags);
  return {
    input: {
      headline: (post.title ?? '').trim(),
      dek: plain(post.custom_excerpt),
      bodyHtml,
      slug: post.slug?.trim() || undefined,
      status,
      kind: type === 'page' ? 'page' : 'article',
      publishedAt: status === 'draft' ? undefined : post.published_at,
      authors: (index.authorsOf.get(post.id) ?? []).map(authorOf).filter((a) => a.name),
      section: section ? { name: (section.name ?? '').trim(), slug: section.slug?.trim() || undefined } : undefined,
      tags: tags.filter((t) => t !== section && !isInternalTag(t)).map((t) => (t.name ?? '').trim()).filter(Boolean),
      importSource: 'ghost',
      importKey: post.id,
    },
  };
}
