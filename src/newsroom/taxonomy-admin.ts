/** Managing sections and tags (editors and admins): create, rename, re-slug, reorder, delete. */
import type { DB } from '../db/database.ts';
import { ValidationError } from '../lib/errors.ts';
import { slugFor } from '../lib/slug.ts';
import * as taxonomy from '../articles/taxonomy-store.ts';
import { articlesTagged, reindexArticles } from '../distribution/search/index.ts';
import type { NewsroomUser } from './accounts.ts';
import { requireCan } from './roles.ts';

export interface SectionForm {
  name: string;
  slug: string;
  description: string;
  position: string;
}

/** Creates (id undefined) or updates a section. Throws Forbidden and ValidationError (name, slug, position). */
export async function saveSection(db: DB, user: NewsroomUser, id: number | undefined, form: SectionForm): Promise<void> {
  requireCan(user, 'taxonomy.manage');
  const fields: Record<string, string> = {};
  const name = form.name.trim();
  const slug = slugFor(form.slug.trim() || name, 'section');
  const position = form.position.trim() === '' ? 0 : Number(form.position);
  if (!name) fields.name = 'Give the section a name.';
  else if (name.length > 60) fields.name = 'Use at most 60 characters.';
  if (!Number.isInteger(position) || position < 0 || position > 1000) fields.position = 'Use a whole number from 0 to 1000.';
  const owner = await taxonomy.slugOwner(db, 'sections', slug);
  if (owner !== undefined && owner !== id) fields.slug = `Another section already uses “${slug}”.`;
  if (Object.keys(fields).length) throw new ValidationError(fields);
  const values = { name, slug, description: form.description.trim().slice(0, 300), position };
  if (id === undefined) await taxonomy.insertSection(db, values);
  else await taxonomy.updateSection(db, id, values);
}

/** Deletes a section; its articles stay, without a section. */
export async function removeSection(db: DB, user: NewsroomUser, id: number): Promise<void> {
  requireCan(user, 'taxonomy.manage');
  await taxonomy.deleteSection(db, id);
}

/** Renames a tag (and its slug). Throws Forbidden and ValidationError (name, slug). */
export async function saveTag(db: DB, user: NewsroomUser, id: number, form: { name: string; slug: string }): Promise<void> {
  requireCan(user, 'taxonomy.manage');
  const name = form.name.trim();
  const slug = slugFor(form.slug.trim() || name, 'tag');
  const fields: Record<string, string> = {};
  if (!name) fields.name = 'Give the tag a name.';
  const owner = await taxonomy.slugOwner(db, 'tags', slug);
  if (owner !== undefined && owner !== id) fields.slug = `Another tag already uses “${slug}”.`;
  if (Object.keys(fields).length) throw new ValidationError(fields);
  // Articles are found by their tags' names: those carrying this one are indexed again with the rename.
  await db.transaction().execute(async (tx) => {
    await taxonomy.updateTag(tx, id, { name, slug });
    await reindexArticles(tx, await articlesTagged(tx, id));
  });
}

/** Deletes a tag; articles lose it. */
export async function removeTag(db: DB, user: NewsroomUser, id: number): Promise<void> {
  requireCan(user, 'taxonomy.manage');
  await db.transaction().execute(async (tx) => {
    const tagged = await articlesTagged(tx, id);
    await taxonomy.deleteTag(tx, id);
    await reindexArticles(tx, tagged);
  });
}
