/**
 * Reader content for page-metadata and HTML-validity tests: the seed article (World) with a featured image and
 * posted comments, and a second article with two authors, two tags, a dek and a headline full of markup.
 */
import sharp from 'sharp';
import { saveArticle } from '../../src/articles/service.ts';
import { updateArticle } from '../../src/articles/store.ts';
import { importCaptureFile } from '../../src/importers/import-capture.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { slugFor } from '../../src/lib/slug.ts';
import { uploadImage } from '../../src/media/service.ts';
import { LocalDiskStorage } from '../../src/media/storage.ts';
import type { TestServer } from './app.ts';
import { readerOn, useOpenCommentSettings } from './comment-posting.ts';
import { SEED_PATH, SEED_SLUG } from './seed.ts';

/** A headline and dek that would break out of a <script> or an attribute if anything were left unescaped. */
export const MARKUP_HEADLINE = 'Ports </script><script>alert(1)</script> & <!-- harbours "quoted"';
export const MARKUP_DEK = 'Tides <!-- and --> the </SCRIPT > of "trade" & more.';

const AUTHORS = ['Jane Doe', 'John Roe'];
const TAGS = ['Fishing', 'Ports & Harbours'];

export interface ReaderPages {
  seed: { slug: string; path: string };
  marked: { slug: string; path: string };
  /** Emails of the comments posted on the seed article: they must appear nowhere public. */
  commenterEmails: string[];
  /** Ids of those comments. */
  commentIds: number[];
  authors: { slug: string; name: string }[];
  tags: { slug: string; name: string }[];
}

/** A plain photo (no alpha, so JPEG variants), `width`×`height` pixels. */
async function photo(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 30, g: 80, b: 140 } } }).jpeg().toBuffer();
}

async function feature(server: TestServer, articleId: number, alt: string): Promise<void> {
  const deps = { db: server.database.db, clock: systemClock, storage: new LocalDiskStorage(server.config.mediaDir) };
  const mediaId = await uploadImage(deps, await photo(1300, 800), 'photo.jpg', null);
  await updateArticle(server.database.db, articleId, { featured_media_id: mediaId, featured_alt: alt, featured_caption: 'At first light.', featured_credit: 'Staff photographer' });
}

/** Loads the content above into `server` (comments are posted over HTTP through the real form). */
export async function loadReaderPages(server: TestServer): Promise<ReaderPages> {
  const db = server.database.db;
  const seed = await importCaptureFile({ db, clock: systemClock }, SEED_PATH, { siteName: server.config.siteName, section: 'World' });
  await feature(server, seed.id, 'Two leaders shaking hands');
  const marked = await saveArticle(
    { db, clock: systemClock },
    {
      headline: MARKUP_HEADLINE,
      dek: MARKUP_DEK,
      bodyHtml: '<p>The first boats leave at five.</p>',
      status: 'published',
      section: { name: 'World' },
      authors: AUTHORS.map((name, i) => ({ name, bio: i === 0 ? 'Jane covers the coast.' : undefined })),
      tags: TAGS,
    },
  );
  await feature(server, marked.id, 'Boats "leaving" <the> harbour');

  await useOpenCommentSettings(db, { holdLinkCount: 0 });
  const seedPath = `/articles/${SEED_SLUG}`;
  const commenterEmails = ['hidden.commenter@example.org', 'second.voice@example.net'];
  const commentIds: number[] = [];
  for (const [i, email] of commenterEmails.entries()) {
    const { client, hidden } = await readerOn(server.origin, seedPath);
    const fields = { ...hidden, author: `Reader ${i + 1}`, email, url: '', comment: `Comment ${i + 1} with *emphasis*.`, comment_parent: commentIds[0] ? String(commentIds[0]) : '' };
    const { response } = await client.postForm(`${seedPath}/comments`, fields);
    const id = /#comment-(\d+)$/.exec(response.headers.get('location') ?? '')?.[1];
    if (response.status !== 303 || !id) throw new Error(`comment not posted: ${response.status}`);
    commentIds.push(Number(id));
  }
  return {
    seed: { slug: SEED_SLUG, path: seedPath },
    marked: { slug: marked.slug, path: `/articles/${marked.slug}` },
    commenterEmails,
    commentIds,
    authors: AUTHORS.map((name) => ({ slug: slugFor(name, 'author'), name })),
    tags: TAGS.map((name) => ({ slug: slugFor(name, 'tag'), name })),
  };
}
