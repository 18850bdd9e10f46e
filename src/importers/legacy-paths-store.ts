/** SQL of old addresses: the legacy_paths table, and the current slug of what an old address points at. */
import { publiclyVisible } from '../articles/store.ts';
import type { DB } from '../db/database.ts';
import type { ArticleKind, LegacyPathTable } from '../db/schema.ts';

/** Inserts the rows; a path already recorded is re-pointed (its created_at stays that of the first import). */
export async function upsertLegacyPaths(db: DB, rows: readonly LegacyPathTable[]): Promise<void> {
  if (!rows.length) return;
  await db
    .insertInto('legacy_paths')
    .values([...rows])
    .onConflict((oc) =>
      oc.column('path').doUpdateSet((eb) => ({
        target_kind: eb.ref('excluded.target_kind'),
        target_id: eb.ref('excluded.target_id'),
        source: eb.ref('excluded.source'),
      })),
    )
    .execute();
}

/** The recorded old address `path` (normalised), or undefined. */
export async function findLegacyPath(db: DB, path: string): Promise<Pick<LegacyPathTable, 'target_kind' | 'target_id'> | undefined> {
  return db.selectFrom('legacy_paths').select(['target_kind', 'target_id']).where('path', '=', path).executeTakeFirst();
}

/** Slug and kind of article `id` if readers may see it at `now` (ISO-8601 UTC), or undefined. */
export async function findVisibleArticle(db: DB, id: number, now: string): Promise<{ slug: string; kind: ArticleKind } | undefined> {
  return db.selectFrom('articles').select(['articles.slug', 'articles.kind']).where('articles.id', '=', id).where(publiclyVisible(now)).executeTakeFirst();
}

const TERM_TABLES = { section: 'sections', tag: 'tags', author: 'authors' } as const;

/** The current slug of section, tag or author `id`, or undefined when it is gone. */
export async function findTermSlug(db: DB, kind: keyof typeof TERM_TABLES, id: number): Promise<string | undefined> {
  const row = await db.selectFrom(TERM_TABLES[kind]).select('slug').where('id', '=', id).executeTakeFirst();
  return row?.slug;
}
