/**
 * A small site with every kind of content an export must carry (each article status, a page, bylines in order,
 * non-ASCII text and slugs, credits, corrections, old slugs, a comment thread three deep in every status), and a
 * database-independent picture of a site to compare before and after an export → import round trip.
 */
import { writeArticle } from '../../src/articles/service.ts';
import { addRedirect } from '../../src/articles/store.ts';
import { renderCommentHtml } from '../../src/comments/format.ts';
import { adjustCommentCount, insertComment } from '../../src/comments/store.ts';
import type { DB } from '../../src/db/database.ts';
import type { CommentStatus } from '../../src/db/schema.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { findAuthorBySlug, findSectionBySlug, findTagBySlug } from '../../src/articles/taxonomy-store.ts';
import { recordLegacyPaths } from '../../src/importers/legacy-paths.ts';

export const NOW = '2026-11-29T12:00:00.000Z';

/** Rich article HTML of the kinds the editor writes; "]]>" in the text is stored escaped by the sanitiser. */
export const RICH_BODY =
  '<h2>Après la marée</h2><p>The harbour <strong>closed</strong> at <em>noon</em>; see <a href="https://example.com/tides?a=1&amp;b=2">the tables</a>.</p>' +
  '<blockquote><p>“We waited,” said Zoë — 待つ.</p></blockquote><ul><li>One</li><li>Two &amp; three</li></ul><p>Markup such as ]]> stays text.</p>';

/** Plain texts holding the CDATA terminator, which a WXR file must carry unchanged. */
export const DEK_WITH_CDATA_END = 'Tide tables, and what ]]> means in XML';
export const COMMENT_WITH_CDATA_END = 'A reply quoting ]]> and <b>tags</b> as typed';
export const NAME_WITH_CDATA_END = 'Reader ]]> Three';

export interface SeededComment {
  body: string;
  status: CommentStatus;
  /** Body of the parent comment. */
  parent?: string;
}

/** The thread on the lead story: approved → approved → pending, plus spam, trash and a second approved branch. */
export const THREAD: SeededComment[] = [
  { body: 'First! *Great* piece: https://example.org/more', status: 'approved' },
  { body: 'Replying to the first.\n\nWith two paragraphs.', status: 'approved', parent: 'First! *Great* piece: https://example.org/more' },
  { body: COMMENT_WITH_CDATA_END, status: 'pending', parent: 'Replying to the first.\n\nWith two paragraphs.' },
  { body: 'Buy cheap watches', status: 'spam' },
  { body: 'Off topic, binned', status: 'trash' },
  { body: 'Another view — ça dépend.', status: 'approved' },
];

/** Writes the site; returns the id of the lead story (the one with the thread). */
export async function seedExportSite(db: DB, clock: Clock): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const byline = [
      { name: 'Grace Hopper', slug: 'grace-hopper', bio: 'Rear admiral.' },
      { name: 'Zoë Ångström', slug: 'zoe-angstrom' },
    ];
    const lead = await writeArticle(tx, clock, {
      headline: 'Москва принимает саммит',
      slug: 'москва-принимает-саммит',
      unicodeSlug: true,
      dek: DEK_WITH_CDATA_END,
      bodyHtml: RICH_BODY,
      dateline: 'MOSCOW',
      status: 'published',
      publishedAt: '2026-11-20T08:30:00.000Z',
      section: { name: 'World', slug: 'world' },
      authors: byline,
      tags: ['Tides', 'Économie'],
      credits: ['Olivia Wang contributed research.', 'Photographs by Ana Lima.'],
    });
    await tx.insertInto('corrections').values({ article_id: lead.id, user_id: null, created_at: '2026-11-21T10:00:00.000Z', text: 'An earlier version misstated the date of the summit.' }).execute();
    await addRedirect(tx, 'moscow-summit-old', lead.id, NOW);
    const ids = new Map<string, number>();
    let counted = 0;
    for (const [i, c] of THREAD.entries()) {
      const id = await insertComment(tx, {
        article_id: lead.id,
        parent_id: c.parent ? ids.get(c.parent) ?? null : null,
        author_name: i === 2 ? NAME_WITH_CDATA_END : `Reader ${i + 1} Ñ`,
        author_email: `reader${i + 1}@example.net`,
        author_url: i === 0 ? 'https://reader.example/' : '',
        body: c.body,
        body_html: renderCommentHtml(c.body),
        status: c.status,
        created_at: `2026-11-21T1${i}:00:00.000Z`,
        ip_hash: 'abc',
        edited_at: null,
        erased_at: null,
      });
      ids.set(c.body, id);
      if (c.status === 'approved') counted++;
    }
    await adjustCommentCount(tx, lead.id, counted);

    const simple = { bodyHtml: '<p>Short text.</p>', section: { name: 'Culture', slug: 'culture' }, authors: [{ name: 'Ada Lovelace', slug: 'ada-lovelace' }] };
    await writeArticle(tx, clock, { ...simple, headline: 'Scheduled: the budget vote', status: 'scheduled', publishedAt: '2026-12-05T09:00:00.000Z', tags: ['Tides'] });
    await writeArticle(tx, clock, { ...simple, headline: 'Draft: a story in progress', status: 'draft', section: undefined, commentStatus: 'closed' });
    await writeArticle(tx, clock, { ...simple, headline: 'Pending review: the port strike', status: 'pending' });
    await writeArticle(tx, clock, { ...simple, headline: 'Unpublished: a retracted claim', status: 'unpublished', publishedAt: '2026-11-01T07:00:00.000Z' });
    await writeArticle(tx, clock, { ...simple, headline: 'About us', slug: 'about', kind: 'page', status: 'published', publishedAt: '2026-01-01T00:00:00.000Z', section: undefined, authors: [] });
    return lead.id;
  });
}

/**
 * Old addresses from earlier imports, as `[stored path, importer, target kind, target slug, where it now redirects]`:
 * of the lead story (from WordPress and from Ghost), the World section, the Tides tag and Grace Hopper's profile.
 */
export const LEGACY_PATHS: readonly (readonly [string, string, 'article' | 'section' | 'tag' | 'author', string, string])[] = [
  ['/?p=12', 'wxr', 'article', 'москва-принимает-саммит', `/articles/${encodeURIComponent('москва-принимает-саммит')}`],
  ['/2026/11/20/moscow-summit', 'wxr', 'article', 'москва-принимает-саммит', `/articles/${encodeURIComponent('москва-принимает-саммит')}`],
  ['/moscow-summit', 'ghost', 'article', 'москва-принимает-саммит', `/articles/${encodeURIComponent('москва-принимает-саммит')}`],
  ['/category/world-news', 'wxr', 'section', 'world', '/section/world'],
  ['/?tag=tides', 'wxr', 'tag', 'tides', '/tag/tides'],
  ['/?author=7', 'wxr', 'author', 'grace-hopper', '/author/grace-hopper'],
];

/** Records LEGACY_PATHS in the site seedExportSite wrote (lead story `leadId`), dated `at`. */
export async function seedLegacyPaths(db: DB, leadId: number, at: string): Promise<void> {
  const ids = {
    article: async () => leadId,
    section: async (slug: string) => (await findSectionBySlug(db, slug))!.id,
    tag: async (slug: string) => (await findTagBySlug(db, slug))!.id,
    author: async (slug: string) => (await findAuthorBySlug(db, slug))!.id,
  };
  for (const [path, source, kind, slug] of LEGACY_PATHS) await recordLegacyPaths(db, source, { kind, id: await ids[kind](slug) }, [path], at);
}

/** Old addresses of a site by path, with their importer and the kind and slug of what they point at. */
export async function legacyPathPicture(db: DB): Promise<string[][]> {
  const rows = await db.selectFrom('legacy_paths').select(['path', 'source', 'target_kind', 'target_id', 'created_at']).orderBy('path').execute();
  const slugOf = async (kind: string, id: number): Promise<string> => {
    const table = ({ article: 'articles', section: 'sections', tag: 'tags', author: 'authors' } as const)[kind as 'article'];
    return (await db.selectFrom(table).select('slug').where('id', '=', id).executeTakeFirst())?.slug ?? '?';
  };
  return Promise.all(rows.map(async (r) => [r.path, r.source, r.target_kind, await slugOf(r.target_kind, r.target_id), r.created_at]));
}

/** What must survive a round trip, keyed by slug, with comments identified by their text. */
export async function sitePicture(db: DB): Promise<Record<string, unknown>> {
  const articles = await db.selectFrom('articles').leftJoin('sections', 'sections.id', 'articles.section_id')
    .select(['articles.id', 'articles.slug', 'articles.headline', 'articles.dek', 'articles.body_html', 'articles.status', 'articles.published_at', 'articles.kind', 'articles.dateline', 'articles.comment_status', 'articles.comment_count', 'sections.slug as section'])
    .orderBy('articles.slug').execute();
  const picture: Record<string, unknown> = {};
  for (const { id, ...a } of articles) {
    const authors = await db.selectFrom('article_authors').innerJoin('authors', 'authors.id', 'article_authors.author_id').select(['authors.slug', 'authors.name']).where('article_id', '=', id).orderBy('position').execute();
    const tags = await db.selectFrom('article_tags').innerJoin('tags', 'tags.id', 'article_tags.tag_id').select(['tags.slug', 'tags.name']).where('article_id', '=', id).orderBy('position').execute();
    const credits = (await db.selectFrom('credits').select('text').where('article_id', '=', id).orderBy('position').execute()).map((c) => c.text);
    const corrections = await db.selectFrom('corrections').select(['created_at', 'text']).where('article_id', '=', id).orderBy('created_at').execute();
    const rows = await db.selectFrom('comments').select(['id', 'parent_id', 'author_name', 'author_email', 'author_url', 'body', 'body_html', 'status', 'created_at']).where('article_id', '=', id).orderBy('created_at').execute();
    const bodyOf = new Map(rows.map((r) => [r.id, r.body]));
    const comments = rows.map(({ id: _id, parent_id, ...c }) => ({ ...c, parent: parent_id === null ? null : bodyOf.get(parent_id) ?? '?' }));
    picture[a.slug] = { ...a, authors, tags, credits, corrections, comments };
  }
  return picture;
}
