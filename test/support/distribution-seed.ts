/** Articles for feed and sitemap tests: published, scheduled, draft or unpublished, with bylines, tags and a featured image. */
import { resolve } from 'node:path';
import sharp from 'sharp';
import { saveArticle, type ArticleInput } from '../../src/articles/service.ts';
import { updateArticle } from '../../src/articles/store.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { uploadImage } from '../../src/media/service.ts';
import { LocalDiskStorage } from '../../src/media/storage.ts';
import type { TestServer } from './app.ts';

/** Headline with everything XML and HTML escaping can get wrong: ampersand, angle brackets, both quotes, emoji. */
export const TRICKY_HEADLINE = 'Fish & Chips <Cheap> "Deals" — it’s \'ours\' 🐟🎉 > all';

/** Saves an article (published a minute before `clock`'s now unless `publishedAt` says otherwise); returns id and slug. */
export async function addArticle(server: TestServer, clock: Clock, input: Partial<ArticleInput> & { headline: string }): Promise<{ id: number; slug: string }> {
  const { id, slug } = await saveArticle(
    { db: server.database.db, clock },
    { status: 'published', bodyHtml: `<p>${input.headline.replace(/&/g, '&amp;').replace(/</g, '&lt;')}: the story.</p>`, publishedAt: new Date(clock.now().getTime() - 60_000).toISOString(), ...input },
  );
  return { id, slug };
}

/** Gives an article a 1600×900 JPEG featured image (stored as the newsroom would); returns the media id. */
export async function addFeaturedImage(server: TestServer, clock: Clock, articleId: number, text: { alt: string; caption?: string }): Promise<number> {
  const bytes = await sharp({ create: { width: 1600, height: 900, channels: 3, background: { r: 200, g: 120, b: 40 } } }).jpeg().toBuffer();
  const storage = new LocalDiskStorage(resolve(server.config.mediaDir));
  const mediaId = await uploadImage({ db: server.database.db, clock, storage }, bytes, 'harbour.jpg', null);
  await updateArticle(server.database.db, articleId, { featured_media_id: mediaId, featured_alt: text.alt, featured_caption: text.caption ?? '' });
  return mediaId;
}
