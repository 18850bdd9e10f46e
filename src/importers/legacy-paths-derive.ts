/**
 * The addresses imported content had on its old site, for recordLegacyPaths: pure functions of what an export
 * says. Paths are returned as the old site wrote them; normalizeLegacyPath makes them one form.
 */

/** The fields of a WXR item (importers/wxr/parse.ts WxrItem) its old addresses come from. */
export interface WordpressPostFields {
  /** `<link>`: the permalink the export was made with (any host). */
  link: string;
  postId: string;
  /** `wp:post_type`: post, page, … */
  postType: string;
  /** `wp:post_date`, site-local "YYYY-MM-DD hh:mm:ss": WordPress builds dated permalinks from the local date. */
  postDate: string;
  /** `wp:post_name`, percent-encoded as WordPress stores it; '' for drafts never given one. */
  postName: string;
}

/**
 * Every address a WordPress post or page may have been read at, whatever the permalink setting was: its `<link>`,
 * the plain `/?p=ID` (`/?page_id=ID` for pages), and for posts the presets Day and name `/YYYY/MM/DD/slug/`, Month
 * and name `/YYYY/MM/slug/`, Numeric `/archives/ID` and Post name `/slug/`. A page's hierarchical
 * `/parent/child/` is known only through its `<link>`; `/slug/` is added for it.
 */
export function wordpressPostPaths(post: WordpressPostFields): string[] {
  const id = post.postId.trim();
  const slug = post.postName.trim();
  const type = post.postType.trim() || 'post';
  const found: string[] = [];
  if (post.link.trim()) found.push(post.link.trim());
  if (type === 'page') {
    if (id) found.push(`/?page_id=${id}`);
    if (slug) found.push(`/${slug}/`);
    return found;
  }
  if (id) found.push(`/?p=${id}`);
  if (type !== 'post') return found;
  const date = /^(\d{4})-(\d{2})-(\d{2})/.exec(post.postDate.trim());
  if (slug && date && date[1] !== '0000') {
    const [, year, month, day] = date;
    found.push(`/${year}/${month}/${day}/${slug}/`, `/${year}/${month}/${slug}/`);
  }
  if (id) found.push(`/archives/${id}`);
  if (slug) found.push(`/${slug}/`);
  return found;
}

/** The fields of a WXR term (importers/wxr/parse.ts WxrTerm) its old addresses come from. */
export interface WordpressTermFields {
  /** "category", "post_tag", … */
  taxonomy: string;
  /** wp:term_id, '' when unknown. */
  id: string;
  /** Percent-encoded as WordPress stores it. */
  slug: string;
  /** wp:category_parent: the parent's slug ('' at the top). */
  parent: string;
}

/**
 * Addresses of a WordPress category (`/category/slug/`, `/?cat=ID`) or tag (`/tag/slug/`, `/?tag=slug`); none for
 * other taxonomies. A child category is also read at `/category/parent/child/`: `termsBySlug` (every category of the
 * export by slug) lets its ancestors be followed.
 */
export function wordpressTermPaths(term: WordpressTermFields, termsBySlug?: ReadonlyMap<string, Pick<WordpressTermFields, 'slug' | 'parent'>>): string[] {
  const slug = term.slug.trim();
  const id = term.id.trim();
  if (term.taxonomy === 'post_tag') return slug ? [`/tag/${slug}/`, `/?tag=${slug}`] : [];
  if (term.taxonomy !== 'category') return [];
  const found: string[] = [];
  if (slug) {
    found.push(`/category/${slug}/`);
    const chain = [slug];
    // Bounded: a parent loop in a damaged export must not hang the import.
    for (let parent = term.parent.trim(); parent && chain.length < 20 && !chain.includes(parent); parent = termsBySlug?.get(parent)?.parent.trim() ?? '') {
      chain.unshift(parent);
    }
    if (chain.length > 1) found.push(`/category/${chain.join('/')}/`);
  }
  if (id) found.push(`/?cat=${id}`);
  return found;
}

/**
 * WordPress's user_nicename for a login (sanitize_title of the login: lowercase, `.` and spaces to `-`, other
 * punctuation dropped, non-ASCII kept), the slug of its author archive.
 */
export function wordpressNicename(login: string): string {
  return login
    .trim()
    .toLowerCase()
    .replace(/[.\s]+/g, '-')
    .replace(/[^\p{L}\p{N}_-]/gu, '')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Addresses of a WordPress author archive: `/author/nicename/` and, when the export gives the id, `/?author=ID`. */
export function wordpressAuthorPaths(author: { id?: string; login: string }): string[] {
  const found: string[] = [];
  const nicename = wordpressNicename(author.login);
  if (nicename) found.push(`/author/${nicename}/`);
  const id = author.id?.trim();
  if (id) found.push(`/?author=${id}`);
  return found;
}

/** Addresses of a Ghost post or page: `/slug/` (Ghost's default routes), and its `url` when the export has one. */
export function ghostPostPaths(post: { slug: string; url?: string }): string[] {
  return [post.url?.trim(), post.slug.trim() && `/${post.slug.trim()}/`].filter((path): path is string => !!path);
}

/** Address of a Ghost tag archive, `/tag/slug/`. */
export function ghostTagPaths(tag: { slug: string }): string[] {
  return tag.slug.trim() ? [`/tag/${tag.slug.trim()}/`] : [];
}

/** Address of a Ghost author archive, `/author/slug/`. */
export function ghostAuthorPaths(author: { slug: string }): string[] {
  return author.slug.trim() ? [`/author/${author.slug.trim()}/`] : [];
}
