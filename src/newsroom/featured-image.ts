/** The featured image of an article: upload (or keep) the image, with its alt text, caption and photo credit. */
import { isoNow } from '../lib/clock.ts';
import type { SiteEvents } from '../lib/site-events.ts';
import { Forbidden, NotFound, ValidationError } from '../lib/errors.ts';
import { deleteMediaIfUnused, uploadImage, type MediaDeps } from '../media/service.ts';
import type { NewsroomUser } from './accounts.ts';
import * as articles from '../articles/store.ts';
import * as editorial from './editorial-store.ts';
import { can } from './roles.ts';

export interface FeaturedImageForm {
  /** The uploaded file's bytes; empty to keep the current image. */
  image: Buffer;
  alt: string;
  caption: string;
  credit: string;
  /** "1" removes the image. */
  remove: string;
}

const LIMITS = { alt: 300, caption: 600, credit: 200 } as const;

/**
 * Sets, updates or removes an article's featured image. Alt text is required with an image (it is the image for
 * people who cannot see it). Throws ValidationError (fields image, alt, caption, credit), Forbidden, NotFound.
 */
export async function saveFeaturedImage(deps: MediaDeps & { events?: Pick<SiteEvents, 'emit'> }, user: NewsroomUser, articleId: number, form: FeaturedImageForm): Promise<'saved' | 'removed'> {
  const article = await editorial.findArticleById(deps.db, articleId);
  if (!article) throw new NotFound('No such article');
  const authors = (await editorial.authorsOf(deps.db, articleId)).map((a) => a.id);
  const own = user.authorId !== null && authors.includes(user.authorId);
  const live = article.status === 'published' || article.status === 'scheduled';
  if (!(can(user, 'article.edit.any') || (own && (can(user, 'article.publish.own') || !live)))) throw new Forbidden('You may not edit this article.');

  const now = isoNow(deps.clock);
  const previous = article.featured_media_id;
  if (form.remove === '1') {
    await articles.updateArticle(deps.db, articleId, { featured_media_id: null, featured_alt: '', featured_caption: '', featured_credit: '', updated_at: now });
    if (previous !== null) await deleteMediaIfUnused(deps, previous);
    if (article.status === 'published') deps.events?.emit({ type: 'article.updated', articleId });
    return 'removed';
  }
  const fields: Record<string, string> = {};
  const alt = form.alt.trim();
  const hasImage = form.image.length > 0 || article.featured_media_id !== null;
  if (!hasImage) fields.image = 'Choose an image file to upload.';
  if (!alt) fields.alt = 'Describe the image for readers who cannot see it.';
  for (const key of ['alt', 'caption', 'credit'] as const) if ([...form[key].trim()].length > LIMITS[key]) fields[key] = `Use at most ${LIMITS[key]} characters.`;
  if (Object.keys(fields).length) throw new ValidationError(fields);
  const mediaId = form.image.length ? await uploadImage(deps, form.image, `article-${articleId}`, user.id) : article.featured_media_id;
  await articles.updateArticle(deps.db, articleId, { featured_media_id: mediaId, featured_alt: alt, featured_caption: form.caption.trim(), featured_credit: form.credit.trim(), updated_at: now });
  // A replaced image's files go too, so what the newsroom removed is no longer served.
  if (previous !== null && previous !== mediaId) await deleteMediaIfUnused(deps, previous);
  if (article.status === 'published') deps.events?.emit({ type: 'article.updated', articleId });
  return 'saved';
}
