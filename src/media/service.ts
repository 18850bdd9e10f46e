/** Uploading images: process in memory first, then write the files, then record them; a failure leaves nothing behind. */
import { randomBytes } from 'node:crypto';
import type { DB } from '../db/database.ts';
import { isoNow, type Clock } from '../lib/clock.ts';
import { processImage, type MediaVariant } from './images.ts';
import { responsiveImageOf, type ResponsiveImage } from './responsive-image.ts';
import type { MediaStorage } from './storage.ts';
import { findMedia, insertMedia } from './store.ts';

export type { ResponsiveImage };

export interface MediaDeps {
  db: DB;
  clock: Clock;
  storage: MediaStorage;
}

/** Stores an uploaded image and its variants; returns the media id. Throws ValidationError (field `image`). */
export async function uploadImage(deps: MediaDeps, bytes: Buffer, originalName: string, uploadedBy: number | null): Promise<number> {
  const image = await processImage(bytes);
  const now = isoNow(deps.clock);
  const base = `${now.slice(0, 4)}/${now.slice(5, 7)}/${randomBytes(8).toString('hex')}`;
  const variants: MediaVariant[] = image.outputs.map((o) => ({ format: o.format, width: o.width, height: o.height, bytes: o.data.length, key: `${base}-${o.width}.${o.format === 'jpeg' ? 'jpg' : o.format}` }));
  const written: string[] = [];
  try {
    for (const [i, output] of image.outputs.entries()) {
      await deps.storage.put(variants[i]!.key, output.data);
      written.push(variants[i]!.key);
    }
    return await insertMedia(deps.db, {
      original_name: originalName.slice(0, 200),
      format: image.format,
      width: image.width,
      height: image.height,
      bytes: bytes.length,
      variants: JSON.stringify(variants),
      uploaded_by: uploadedBy,
      created_at: now,
    });
  } catch (error) {
    await Promise.all(written.map((key) => deps.storage.delete(key)));
    throw error;
  }
}

/** The responsive image of media `id`, or undefined when it is gone. */
export async function responsiveImage(deps: Pick<MediaDeps, 'db' | 'storage'>, id: number): Promise<ResponsiveImage | undefined> {
  const row = await findMedia(deps.db, id);
  return row && responsiveImageOf(deps.storage, row);
}

/** Deletes media `id` and its files when no article uses it any more (a replaced or removed featured image). */
export async function deleteMediaIfUnused(deps: Pick<MediaDeps, 'db' | 'storage'>, id: number): Promise<boolean> {
  const used = await deps.db.selectFrom('articles').select('id').where('featured_media_id', '=', id).executeTakeFirst();
  if (used) return false;
  const row = await findMedia(deps.db, id);
  if (!row) return false;
  await deps.db.deleteFrom('media').where('id', '=', id).execute();
  await Promise.all((JSON.parse(row.variants) as MediaVariant[]).map((v) => deps.storage.delete(v.key)));
  return true;
}
