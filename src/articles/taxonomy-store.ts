/** SQL for sections, authors and tags: lookups by slug and get-or-create by slug (insert … on conflict do nothing). */
import type { DB } from '../db/database.ts';
import type { AuthorRow, SectionRow, TagRow } from '../db/schema.ts';

export async function listSections(db: DB): Promise<SectionRow[]> {
  return db.selectFrom('sections').select(['id', 'slug', 'name', 'description', 'position']).orderBy('position').orderBy('name').execute();
}

export async function findSectionBySlug(db: DB, slug: string): Promise<SectionRow | undefined> {
  return db.selectFrom('sections').select(['id', 'slug', 'name', 'description', 'position']).where('slug', '=', slug).executeTakeFirst();
}

export async function findAuthorBySlug(db: DB, slug: string): Promise<AuthorRow | undefined> {
  return db.selectFrom('authors').select(['id', 'slug', 'name', 'bio', 'created_at']).where('slug', '=', slug).executeTakeFirst();
}

export async function findTagBySlug(db: DB, slug: string): Promise<TagRow | undefined> {
  return db.selectFrom('tags').select(['id', 'slug', 'name']).where('slug', '=', slug).executeTakeFirst();
}

/** Id of the section with `slug`, creating it with `name` (and optional description/position) when missing. */
export async function ensureSection(db: DB, section: { slug: string; name: string; description?: string; position?: number }): Promise<number> {
  await db
    .insertInto('sections')
    .values({ slug: section.slug, name: section.name, description: section.description ?? '', position: section.position ?? 0 })
    .onConflict((oc) => oc.column('slug').doNothing())
    .execute();
  const { id } = await db.selectFrom('sections').select('id').where('slug', '=', section.slug).executeTakeFirstOrThrow();
  return id;
}

/** Id of the author with `slug`, creating it when missing. `createdAt` is ISO-8601 UTC. */
export async function ensureAuthor(db: DB, author: { slug: string; name: string; bio?: string }, createdAt: string): Promise<number> {
  await db
    .insertInto('authors')
    .values({ slug: author.slug, name: author.name, bio: author.bio ?? '', created_at: createdAt })
    .onConflict((oc) => oc.column('slug').doNothing())
    .execute();
  const { id } = await db.selectFrom('authors').select('id').where('slug', '=', author.slug).executeTakeFirstOrThrow();
  return id;
}

/** Id of the tag with `slug`, creating it when missing. */
export async function ensureTag(db: DB, tag: { slug: string; name: string }): Promise<number> {
  await db.insertInto('tags').values(tag).onConflict((oc) => oc.column('slug').doNothing()).execute();
  const { id } = await db.selectFrom('tags').select('id').where('slug', '=', tag.slug).executeTakeFirstOrThrow();
  return id;
}

export async function listAuthors(db: DB): Promise<AuthorRow[]> {
  return db.selectFrom('authors').select(['id', 'slug', 'name', 'bio', 'created_at']).orderBy('name').execute();
}

export async function listTags(db: DB): Promise<TagRow[]> {
  return db.selectFrom('tags').select(['id', 'slug', 'name']).orderBy('name').execute();
}

export async function updateSection(db: DB, id: number, changes: { name: string; slug: string; description: string; position: number }): Promise<void> {
  await db.updateTable('sections').set(changes).where('id', '=', id).execute();
}

export async function insertSection(db: DB, section: { name: string; slug: string; description: string; position: number }): Promise<number> {
  const { id } = await db.insertInto('sections').values(section).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function deleteSection(db: DB, id: number): Promise<void> {
  await db.deleteFrom('sections').where('id', '=', id).execute();
}

export async function updateTag(db: DB, id: number, changes: { name: string; slug: string }): Promise<void> {
  await db.updateTable('tags').set(changes).where('id', '=', id).execute();
}

export async function deleteTag(db: DB, id: number): Promise<void> {
  await db.deleteFrom('tags').where('id', '=', id).execute();
}

/** Id of another section or tag (`table`) already using `slug`, if any. */
export async function slugOwner(db: DB, table: 'sections' | 'tags', slug: string): Promise<number | undefined> {
  return (await db.selectFrom(table).select('id').where('slug', '=', slug).executeTakeFirst())?.id;
}

/** Creates a new author profile with a slug not used yet (`name`, `name-2`, …); returns its id. */
export async function insertAuthorWithFreeSlug(db: DB, author: { slug: string; name: string }, createdAt: string): Promise<number> {
  let slug = author.slug;
  for (let n = 2; await findAuthorBySlug(db, slug); n++) slug = `${author.slug}-${n}`;
  const { id } = await db.insertInto('authors').values({ slug, name: author.name, bio: '', created_at: createdAt }).returning('id').executeTakeFirstOrThrow();
  return id;
}
