/** The one image file that stands for an article's featured image in feeds and sitemaps, with its type and size. */
import type { DB } from '../../db/database.ts';
import type { MediaVariant } from '../../media/images.ts';
import type { MediaStorage } from '../../media/storage.ts';
import { absoluteUrl } from '../metadata/text.ts';
import { mediaVariants } from './store.ts';

export interface DistributedImage {
  /** Absolute URL. */
  url: string;
  /** MIME type, `image/jpeg` or `image/png`. */
  type: string;
  /** File size in bytes (RSS 2.0 enclosure length). */
  length: number;
  /** Pixels. */
  width: number;
  height: number;
}

/** Widest file picked, in pixels: what the article page itself shows (media/service.ts responsiveImage). */
const MAX_WIDTH = 1200;

/**
 * From a media row's variants (JSON text): the fallback-format file (PNG when the upload had transparency, else
 * JPEG, which every feed reader and crawler takes) of the widest variant up to 1200 px, else the narrowest.
 */
export function pickImage(siteUrl: string, storage: MediaStorage, variantsJson: string): DistributedImage | undefined {
  let variants: MediaVariant[];
  try {
    variants = JSON.parse(variantsJson) as MediaVariant[];
  } catch {
    return undefined;
  }
  const format = variants.some((v) => v.format === 'png') ? 'png' : 'jpeg';
  const files = variants.filter((v) => v.format === format).sort((a, b) => a.width - b.width);
  const file = [...files].reverse().find((v) => v.width <= MAX_WIDTH) ?? files[0];
  if (!file) return undefined;
  return { url: absoluteUrl({ url: siteUrl }, storage.url(file.key)), type: `image/${format}`, length: file.bytes, width: file.width, height: file.height };
}

/** The distributed image of each media id used by `rows` (featured_media_id), keyed by media id. */
export async function featuredImages(deps: { db: DB; storage: MediaStorage; siteUrl: string }, rows: readonly { featured_media_id: number | null }[]): Promise<Map<number, DistributedImage>> {
  const ids = [...new Set(rows.map((r) => r.featured_media_id).filter((id): id is number => id !== null))];
  const images = new Map<number, DistributedImage>();
  for (const [id, variants] of await mediaVariants(deps.db, ids)) {
    const image = pickImage(deps.siteUrl, deps.storage, variants);
    if (image) images.set(id, image);
  }
  return images;
}
