/**
 * Reader content for page-metadata, HTML-validity and accessibility tests: the seed article (World) with a featured
 * image and a realistic comment thread (replies down to the deepest level and one past it, a comment with a link, one
 * with a very long word), and a second article with two authors, two tags, a dek and a headline full of markup.
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
  seed: { id: number; slug: string; path: string };
  marked: { id: number; slug: string; path: string };
  /** Emails of the comments posted on the seed article: they must appear nowhere public. */
  commenterEmails: string[];
  /** Ids of those comments, in the order of COMMENTS (the first is a top-level comment). */
  commentIds: number[];
  /** The reply at the deepest level the thread shows (COMMENTS' chain of replies). */
  deepestCommentId: number;
  authors: { slug: string; name: string }[];
  tags: { slug: string; name: string }[];
}

/** A comment posted on the seed article; `replyTo` is the index in COMMENTS of the comment it answers. */
interface CommentSpec {
  author: string;
  email: string;
  comment: string;
  replyTo?: number;
}

/**
 * The seed article's comments: a chain of replies six deep (one past the default deepest level, 5, so the last
 * attaches at level 5), a comment with a link and one with a word long enough to overflow a narrow column.
 */
const COMMENTS: CommentSpec[] = [
  { author: 'Reader 1', email: 'hidden.commenter@example.org', comment: 'Comment 1 with *emphasis*.' },
  { author: 'Reader 2', email: 'second.voice@example.net', comment: 'Comment 2 with *emphasis*.', replyTo: 0 },
  { author: 'Reader 3', email: 'third.voice@example.net', comment: 'A reply at the third level.\n\n> Comment 2 with emphasis.\n\nQuoted and answered.', replyTo: 1 },
  { author: 'Reader 4', email: 'fourth.voice@example.net', comment: 'A reply at the fourth level.', replyTo: 2 },
  { author: 'Reader 5', email: 'fifth.voice@example.net', comment: 'A reply at the fifth level, the deepest.', replyTo: 3 },
  { author: 'Reader 6', email: 'sixth.voice@example.net', comment: 'A reply to the fifth level, shown beside it.', replyTo: 4 },
  { author: 'Linking Reader', email: 'linking.reader@example.org', comment: 'The harbour report is at https://example.org/reports/harbour-2026 for anyone curious.' },
  { author: 'Wordy Reader', email: 'wordy.reader@example.org', comment: `Pneumonoultramicroscopicsilicovolcanoconiosis${'andmore'.repeat(12)} is one word.` },
];

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
  const commentIds: number[] = [];
  for (const spec of COMMENTS) {
    const parent = spec.replyTo === undefined ? undefined : commentIds[spec.replyTo];
    // A reply is posted from the reply form, as a reader reaches it from the comment's Reply link.
    const { client, hidden } = await readerOn(server.origin, parent ? `${seedPath}?replyto=${parent}` : seedPath);
    const fields = { ...hidden, author: spec.author, email: spec.email, url: '', comment: spec.comment, comment_parent: parent ? String(parent) : '' };
    const { response } = await client.postForm(`${seedPath}/comments`, fields);
    const id = /#comment-(\d+)$/.exec(response.headers.get('location') ?? '')?.[1];
    if (response.status !== 303 || !id) throw new Error(`comment not posted: ${response.status}`);
    commentIds.push(Number(id));
  }
  return {
    seed: { id: seed.id, slug: SEED_SLUG, path: seedPath },
    marked: { id: marked.id, slug: marked.slug, path: `/articles/${marked.slug}` },
    commenterEmails: [...new Set(COMMENTS.map((c) => c.email))],
    commentIds,
    deepestCommentId: commentIds[COMMENTS.findIndex((c) => c.author === 'Reader 5')]!,
    authors: AUTHORS.map((name) => ({ slug: slugFor(name, 'author'), name })),
    tags: TAGS.map((name) => ({ slug: slugFor(name, 'tag'), name })),
  };
}
