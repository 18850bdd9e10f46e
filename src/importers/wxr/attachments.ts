/**
 * Attachments of a WXR export (files in the old site's wp-content/uploads): each is recorded with its URL in
 * import_attachments; with an uploads folder, images are copied into Broadsheet's media (processed by sharp like an
 * upload) and featured images (postmeta _thumbnail_id) set on their articles.
 */
import { readFile, stat } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import { updateArticle } from '../../articles/store.ts';
import type { DB } from '../../db/database.ts';
import { isoNow, type Clock } from '../../lib/clock.ts';
import { ValidationError } from '../../lib/errors.ts';
import { uploadImage } from '../../media/service.ts';
import type { MediaStorage } from '../../media/storage.ts';
import { skip, type Tally } from '../report.ts';
import type { WxrAttachment } from './shortcodes.ts';
import { findImportAttachment, saveImportAttachment } from './store.ts';

/** File name endings of the images Broadsheet's media library accepts. */
const IMAGE_FILE = /\.(jpe?g|png|gif|webp|avif)$/i;

/**
 * Where an upload's URL points inside a local copy of wp-content/uploads: the path after `/uploads/`
 * (self-hosted WordPress), else the whole URL path (WordPress.com's files.wordpress.com/2008/06/x.jpg).
 * Undefined when the path would leave the folder.
 */
export function uploadsPath(uploadsDir: string, url: string): string | undefined {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url).pathname);
  } catch {
    return undefined;
  }
  const at = pathname.indexOf('/uploads/');
  const relative = at >= 0 ? pathname.slice(at + '/uploads/'.length) : pathname.replace(/^\/+/, '');
  const root = normalize(uploadsDir);
  const full = normalize(join(root, relative));
  return relative && full.startsWith(root.endsWith(sep) ? root : root + sep) ? full : undefined;
}

export interface AttachmentImport {
  db: DB;
  clock: Clock;
  /** Where copied images are stored; without it (or without `uploadsDir`) attachments are only recorded. */
  storage?: MediaStorage;
  /** A local copy of the old site's wp-content/uploads. */
  uploadsDir?: string;
  /** Check files but copy nothing (dry run). */
  dryRun: boolean;
}

/**
 * Records `attachment` (its article: `articleId`, null when its post was not imported) and, when possible, copies
 * the image into media. Returns the media id of the copy (new or from an earlier import), else undefined; counts
 * the outcome in `t` (imported: copied now; updated: known from an earlier import; skipped with the reason).
 */
export async function importAttachment(deps: AttachmentImport, attachment: WxrAttachment, articleId: number | null, t: Tally): Promise<number | undefined> {
  const key = `attachment:${attachment.id}`;
  const earlier = await findImportAttachment(deps.db, 'wxr', key);
  let mediaId = earlier?.media_id ?? undefined;
  if (mediaId === undefined) {
    const outcome = await copyImage(deps, attachment);
    if ('mediaId' in outcome) mediaId = outcome.mediaId;
    if ('skip' in outcome) skip(t, outcome.skip);
    else t.imported++;
  } else t.updated++;
  await saveImportAttachment(deps.db, { import_source: 'wxr', import_key: key, url: attachment.url, title: attachment.title, article_id: articleId, media_id: mediaId ?? null, created_at: isoNow(deps.clock) });
  return mediaId;
}

async function copyImage(deps: AttachmentImport, attachment: WxrAttachment): Promise<{ mediaId?: number } | { skip: string }> {
  if (!deps.uploadsDir || !deps.storage) return { skip: 'recorded, not copied (no --uploads folder)' };
  if (!IMAGE_FILE.test(attachment.url)) return { skip: 'recorded, not copied (not an image)' };
  const file = uploadsPath(deps.uploadsDir, attachment.url);
  if (!file || !(await stat(file).then((s) => s.isFile(), () => false))) return { skip: 'recorded, not copied (file not in the uploads folder)' };
  if (deps.dryRun) return {};
  try {
    return { mediaId: await uploadImage({ db: deps.db, clock: deps.clock, storage: deps.storage }, await readFile(file), file.split(sep).pop() ?? 'image', null) };
  } catch (error) {
    if (error instanceof ValidationError) return { skip: 'recorded, not copied (unreadable image)' };
    throw error;
  }
}

/** Sets `articleId`'s featured image to `mediaId`, with the attachment's alt text (or title) as its alt. */
export async function setFeaturedImage(db: DB, clock: Clock, articleId: number, mediaId: number, attachment: WxrAttachment): Promise<void> {
  await updateArticle(db, articleId, { featured_media_id: mediaId, featured_alt: attachment.alt || attachment.title, updated_at: isoNow(clock) });
}
