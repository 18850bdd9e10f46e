/** SQL for uploaded media. */
import type { Selectable } from 'kysely';
import type { DB } from '../db/database.ts';
import type { MediaTable } from '../db/schema.ts';

export type MediaRow = Selectable<MediaTable>;

export async function insertMedia(db: DB, row: Omit<MediaRow, 'id'>): Promise<number> {
  const { id } = await db.insertInto('media').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function findMedia(db: DB, id: number): Promise<MediaRow | undefined> {
  return db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst();
}
