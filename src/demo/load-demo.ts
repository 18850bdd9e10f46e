/**
 * Demo content for a fresh install: the seed article (a real text capture, imported like any capture) plus the
 * project's own fictional articles in content/demo/articles.json, and a short comment thread. One transaction.
 */
import { readFileSync } from 'node:fs';
import { writeArticle } from '../articles/service.ts';
import { countArticles } from '../articles/store.ts';
import { ensureAuthor, ensureSection } from '../articles/taxonomy-store.ts';
import { adjustCommentCount, insertComment } from '../comments/store.ts';
import { hashIp } from '../comments/network.ts';
import { commentTextFields } from '../comments/form.ts';
import { parseTextCapture } from '../importers/capture-text.ts';
import { captureKey } from '../importers/import-capture.ts';
import { paragraphsToHtml } from '../lib/sanitize.ts';
import { fromRoot } from '../lib/root.ts';
import type { AppContext } from '../web/context.ts';

const CONTENT_DIR = `${fromRoot('content', 'demo')}/`;
const HOUR_MS = 3_600_000;

interface DemoFile {
  sections: { slug: string; name: string; description: string }[];
  authors: { slug: string; name: string; bio: string }[];
  articles: {
    slug: string;
    headline: string;
    dek: string;
    section: string;
    authors: string[];
    tags: string[];
    dateline: string;
    publishedHoursAgo: number;
    paragraphs: string[];
    credits?: string[];
  }[];
}

/** Readers' comments on the seed article, to show a thread with a reply. Addresses use the reserved example.com. */
const DEMO_COMMENTS = [
  { name: 'Margit Olsen', email: 'margit@example.com', url: '', body: 'A clear-eyed piece. The point about priced-in sanctions explains a lot about how both sides read this week.', parent: null, minutesAfter: 12 },
  { name: 'Daniel Achebe', email: 'daniel@example.com', url: 'https://example.com/daniel', body: 'I would have liked more on what European capitals could actually do next.\n\nStill, the closing quote says it all.', parent: 0, minutesAfter: 27 },
  { name: 'Lea Fontaine', email: 'lea@example.com', url: '', body: 'Thanks for including the research credit: too many outlets leave those off.', parent: null, minutesAfter: 48 },
] as const;

/**
 * Loads the demo content when the database holds no article; returns the number of articles loaded (0 when the
 * database already had content). Everything is written in one transaction, so a failure leaves nothing behind.
 */
export async function loadDemoContent(ctx: Pick<AppContext, 'db' | 'clock' | 'config' | 'secret'>): Promise<number> {
  if ((await countArticles(ctx.db)) > 0) return 0;
  const demo = JSON.parse(readFileSync(`${CONTENT_DIR}articles.json`, 'utf8')) as DemoFile;
  const seed = parseTextCapture(readFileSync(`${CONTENT_DIR}seed/article.txt`, 'utf8'), { siteName: ctx.config.siteName });
  const now = ctx.clock.now().getTime();
  const hoursAgo = (h: number) => new Date(now - h * HOUR_MS).toISOString();
  const createdAt = new Date(now).toISOString();

  return ctx.db.transaction().execute(async (tx) => {
    // Several instances starting together on one empty database: only the one that claims this marker loads.
    const claimed = await tx
      .insertInto('settings')
      .values({ key: 'demo_content_loaded', value: createdAt })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!claimed) return 0;
    const sectionNames = new Map<string, string>();
    for (const [position, section] of demo.sections.entries()) {
      await ensureSection(tx, { ...section, position });
      sectionNames.set(section.slug, section.name);
    }
    for (const author of demo.authors) await ensureAuthor(tx, author, createdAt);
    const authorNames = new Map(demo.authors.map((a) => [a.slug, a.name]));

    const seedPublishedAt = hoursAgo(1);
    const saved = await writeArticle(tx, ctx.clock, {
      headline: seed.headline,
      bodyHtml: seed.bodyHtml,
      credits: seed.credits,
      section: { slug: 'world', name: sectionNames.get('world') ?? 'World' },
      status: 'published',
      publishedAt: seedPublishedAt,
      importSource: 'capture',
      importKey: captureKey(seed),
    });

    for (const a of demo.articles) {
      await writeArticle(tx, ctx.clock, {
        slug: a.slug,
        headline: a.headline,
        dek: a.dek,
        bodyHtml: paragraphsToHtml(a.paragraphs),
        dateline: a.dateline,
        section: { slug: a.section, name: sectionNames.get(a.section) ?? a.section },
        authors: a.authors.map((slug) => ({ slug, name: authorNames.get(slug) ?? slug })),
        tags: a.tags,
        credits: a.credits ?? [],
        status: 'published',
        publishedAt: hoursAgo(a.publishedHoursAgo),
        importSource: 'demo',
        importKey: a.slug,
      });
    }

    const ids: number[] = [];
    for (const c of DEMO_COMMENTS) {
      const { comment: _valid, ...text } = commentTextFields({ author: c.name, email: c.email, url: c.url, comment: c.body, comment_parent: '' });
      const id = await insertComment(tx, {
        article_id: saved.id,
        parent_id: c.parent === null ? null : (ids[c.parent] ?? null),
        ...text,
        status: 'approved',
        moderation_reason: 'demo content',
        created_at: new Date(Date.parse(seedPublishedAt) + c.minutesAfter * 60_000).toISOString(),
        ip_hash: hashIp(ctx.secret, '192.0.2.1'),
        user_agent: 'Broadsheet demo content',
      });
      ids.push(id);
    }
    await adjustCommentCount(tx, saved.id, ids.length);
    return demo.articles.length + 1;
  });
}
