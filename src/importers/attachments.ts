/**
 * Attachments and featured images met by an import (WordPress attachments, Ghost feature images): each is recorded
 * with its original URL in import_attachments; with a local copy of the old site's upload folder (`--uploads DIR`),
 * images are copied into Broadsheet's media (processed by sharp like an upload) so featured images can be set.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import { updateArticle } from '../articles/store.ts';
import type { DB } from '../db/database.ts';
import { isoNow, type Clock } from '../lib/clock.ts';
import { ValidationError } from '../lib/errors.ts';
import type { MediaStorage } from '../media/storage.ts';
import type { Tally } from './report.ts';
import { findImportAttachment, saveImportAttachment } from './store.ts';

/** File name endings of the images Broadsheet's media library accepts. */
const IMAGE_FILE = /\.(jpe?g|png|gif|webp|avif)$/i;

/**
 * Where an upload's URL (absolute, or root-relative like Ghost's `/content/images/…`) points inside a local copy of
 * the old upload folder: the path after `marker` (`/uploads/` for WordPress, `/images/` for Ghost), else the whole
 * URL path (WordPress.com's files.wordpress.com/2008/06/x.jpg). Undefined when the path would leave the folder.
 */
export function uploadsPath(uploadsDir: string, url: string, marker = '/uploads/'): string | undefined {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url, 'http://old-site.invalid/').pathname);
  } catch {
    return undefined;
  }
  const at = pathname.indexOf(marker);
  const relative = at >= 0 ? pathname.slice(at + marker.length) : pathname.replace(/^\/+/, '');
  const root = normalize(uploadsDir);
  const full = normalize(join(root, relative));
  return relative && full.startsWith(root.endsWith(sep) ? root : root + sep) ? full : undefined;
}

export interface AttachmentImport {
  db: DB;
  clock: Clock;
  /** Where copied images are stored; without it (or without `uploadsDir`) attachments are only recorded. */
  storage?: MediaStorage;
  /** A local copy of the old site's upload folder. */
  uploadsDir?: string;
  /** Where the folder starts in an upload's URL path (see uploadsPath). */
  uploadsMarker?: string;
  /** Check files but copy nothing (dry run). */
  dryRun: boolean;
  /** Why attachments were recorded without a copy, counted for one note per reason at the end of the import. */
  notCopied: Map<string, number>;
}

/** One attachment: importer, its key there, the file's URL and a title. */
export interface AttachmentRecord {
  source: string;
  key: string;
  url: string;
  title: string;
}

/**
 * Records `attachment` (for `articleId`, null when its post was not imported) and, when possible, copies the image
 * into media. Returns the media id of the copy (new or from an earlier import), else undefined. Counts it in `t`:
 * imported when first recorded, updated when an earlier import recorded it; reasons for not copying go to
 * `deps.notCopied`.
 */
export async function importAttachment(deps: AttachmentImport, attachment: AttachmentRecord, articleId: number | null, t: Tally): Promise<number | undefined> {
  const earlier = await findImportAttachment(deps.db, attachment.source, attachment.key);
  let mediaId = earlier?.media_id ?? undefined;
  if (mediaId === undefined) {
    const outcome = await copyImage(deps, attachment.url);
    if ('mediaId' in outcome) mediaId = outcome.mediaId;
    if ('notCopied' in outcome) deps.notCopied.set(outcome.notCopied, (deps.notCopied.get(outcome.notCopied) ?? 0) + 1);
  }
  t[earlier ? 'updated' : 'imported']++;
  await saveImportAttachment(deps.db, { import_source: attachment.source, import_key: attachment.key, url: attachment.url, title: attachment.title, article_id: articleId, media_id: mediaId ?? null, created_at: isoNow(deps.clock) });
  return mediaId;
}

/** The report notes for attachments recorded without a copy: "12 attachments recorded by URL only: no --uploads folder". */
export function notCopiedNotes(notCopied: ReadonlyMap<string, number>): string[] {
  return [...notCopied].map(([reason, n]) => `${n} ${n === 1 ? 'attachment' : 'attachments'} recorded by URL only: ${reason}`);
}

/**
 * `file` with symbolic links resolved, when it is a regular file that really lies inside `folder` (itself resolved):
 * a link in the uploads copy must not make the import read, and publish, a file from elsewhere.
 */
async function realFileInside(folder: string, file: string | undefined): Promise<string | undefined> {
  if (!file) return undefined;
  try {
    const [root, real] = await Promise.all([realpath(folder), realpath(file)]);
    return real.startsWith(root + sep) && (await stat(real)).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

async function copyImage(deps: AttachmentImport, url: string): Promise<{ mediaId?: number } | { notCopied: string }> {
  if (!deps.uploadsDir || !deps.storage) return { notCopied: 'no --uploads folder' };
  if (!IMAGE_FILE.test(new URL(url, 'http://old-site.invalid/').pathname)) return { notCopied: 'not an image' };
  const file = await realFileInside(deps.uploadsDir, uploadsPath(deps.uploadsDir, url, deps.uploadsMarker));
  if (!file) return { notCopied: 'file not in the uploads folder' };
  if (deps.dryRun) return {};
  try {
    // sharp loads only when an image is copied.
    const { uploadImage } = await import('../media/service.ts');
    return { mediaId: await uploadImage({ db: deps.db, clock: deps.clock, storage: deps.storage }, await readFile(file), file.split(sep).pop() ?? 'image', null) };
  } catch (error) {
    if (error instanceof ValidationError) return { notCopied: 'unreadable image' };
    throw error;
  }
}

/** Sets `articleId`'s featured image to `mediaId` with its alt text (and caption). */
export async function setFeaturedImage(db: DB, clock: Clock, articleId: number, mediaId: number, alt: string, caption = ''): Promise<void> {
  await updateArticle(db, articleId, { featured_media_id: mediaId, featured_alt: alt, featured_caption: caption, updated_at: isoNow(clock) });
}
