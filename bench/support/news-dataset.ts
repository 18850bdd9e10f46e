/**
 * The page benchmark's dataset: a Broadsheet export (src/importers/json/format.ts) of published articles with threaded
 * comments, generated from the news corpus, plus what the benchmark needs to know about it (the article with exactly
 * 50 approved comments, the article that takes posted comments, search words, commenters with approved comments).
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { ExportArticleEntry, ExportCommentEntry, ExportDocument } from '../../src/importers/json/format.ts';
import { escapeHtml } from '../../src/lib/escape-html.ts';
import { COMMENT_OPENERS, corpusSentence, FIRST, GENERAL_TAGS, LAST, paragraphsOf, prng, readCorpus, slugOf, TAGS, variedTitle, type CorpusArticle } from './corpus.ts';

export interface NewsDatasetOptions {
  articles: number;
  comments: number;
  /** Approved comments of the benchmark article (part of `comments`). */
  benchmarkComments: number;
  seed?: number;
}

/** What a generated dataset holds; written beside it as JSON so a cached dataset needs no second pass. */
export interface NewsDataset {
  articles: number;
  comments: number;
  /** Slug of the newest article, the one with exactly `benchmarkComments` approved, threaded comments. */
  benchmarkSlug: string;
  benchmarkComments: number;
  /** Slug of the article the comment POST scenario posts to (the second newest). */
  commentTargetSlug: string;
  /** Words from the corpus found in some but not most articles, for search queries. */
  searchWords: string[];
  /** Commenters (name, email) who have approved comments, so a comment of theirs passes the first-comment hold. */
  regulars: { name: string; email: string }[];
  bytes: number;
}

const DAY_MS = 86_400_000;
// A fixed window, so that the same options always give the same file (and content hash) whatever the date.
const FIRST_PUBLISHED = Date.UTC(2004, 0, 1);
const LAST_PUBLISHED = Date.UTC(2026, 0, 1);
const AUTHORS = 36;
const COMMENTERS = 3000;
/** Deepest reply level generated (the default comment setting allows 5). */
const MAX_DEPTH = 4;

/** Comments per article: random 0–20, then nudged one at a time until they add up to `total` exactly. */
function commentCounts(articles: number, total: number, rand: () => number): number[] {
  const mean = total / Math.max(1, articles);
  const counts = Array.from({ length: articles }, () => Math.floor(rand() * (2 * mean + 1)));
  let diff = total - counts.reduce((a, b) => a + b, 0);
  while (diff !== 0) {
    const i = Math.floor(rand() * articles);
    const step = Math.sign(diff);
    if (counts[i]! + step < 0) continue;
    counts[i] = counts[i]! + step;
    diff -= step;
  }
  return counts;
}

/**
 * Words of 6–12 letters present in 0.5–2 % of the corpus's articles (so a search finds tens to hundreds of the
 * generated articles), `count` of them in a seeded order.
 */
function searchWordsOf(corpus: readonly CorpusArticle[], count: number, rand: () => number): string[] {
  const df = new Map<string, number>();
  for (const a of corpus) {
    for (const w of new Set(`${a.title} ${a.body}`.toLowerCase().match(/\b[a-z]{6,12}\b/g) ?? [])) df.set(w, (df.get(w) ?? 0) + 1);
  }
  const candidates = [...df].filter(([, n]) => n >= corpus.length * 0.005 && n <= corpus.length * 0.02).map(([w]) => w).sort();
  for (let i = candidates.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [candidates[i], candidates[j]] = [candidates[j]!, candidates[i]!];
  }
  return candidates.slice(0, count);
}

/**
 * Comments of one article: `count` of them, replies (to an approved comment, at most MAX_DEPTH deep) 40 % of the
 * time; statuses approved 85 %, pending 10 %, spam 5 %, unless `allApproved`. Ids continue from `nextId`.
 */
function commentsOf(count: number, nextId: number, publishedMs: number, allApproved: boolean, corpus: readonly CorpusArticle[], commenters: readonly { name: string; email: string }[], rand: () => number): ExportCommentEntry[] {
  const comments: ExportCommentEntry[] = [];
  const depth = new Map<number, number>();
  const approved: number[] = [];
  for (let c = 0; c < count; c++) {
    const id = nextId + c;
    const roll = rand();
    const status = allApproved || roll < 0.85 ? 'approved' : roll < 0.95 ? 'pending' : 'spam';
    const parents = approved.filter((p) => (depth.get(p) ?? 0) < MAX_DEPTH);
    const parent = parents.length && rand() < 0.4 ? parents[Math.floor(rand() * parents.length)]! : null;
    depth.set(id, parent === null ? 0 : (depth.get(parent) ?? 0) + 1);
    if (status === 'approved') approved.push(id);
    const who = commenters[Math.floor(rand() * commenters.length)]!;
    const body = status === 'spam' ? `Cheap watches at http://spam.example.net/${id} best price!!!` : `${COMMENT_OPENERS[Math.floor(rand() * COMMENT_OPENERS.length)]} ${corpusSentence(corpus, rand)}`;
    comments.push({
      id,
      parent_id: parent,
      author_name: who.name,
      author_email: who.email,
      author_url: '',
      body,
      status,
      created_at: new Date(publishedMs + (c + 1) * 97_000).toISOString(),
      edited_at: null,
      erased_at: null,
    });
  }
  return comments;
}

/**
 * Writes the dataset to `out` (one JSON document, an article per line) from the corpus at `corpusPath`. Every article is
 * published, oldest first, from 2004 to 2026-01-01; the newest has exactly `benchmarkComments` approved comments and a
 * body of the corpus's median length. Deterministic for the same corpus, options and seed.
 */
export async function generateNewsDataset(corpusPath: string, out: string, options: NewsDatasetOptions): Promise<NewsDataset> {
  const corpus = await readCorpus(corpusPath);
  const rand = prng(options.seed ?? 20261129);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const median = [...corpus].sort((a, b) => a.body.length - b.body.length)[Math.floor(corpus.length / 2)]!;

  const authors = Array.from({ length: AUTHORS }, (_, i) => {
    const name = `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}`;
    return { slug: `${slugOf(name)}-${i}`, name, bio: `${name} reports for Benchmark News.`, created_at: new Date(FIRST_PUBLISHED).toISOString(), email: '', legacy_paths: [] };
  });
  const sectionSlugs = [...new Set(corpus.map((a) => a.section))].sort();
  const sections = sectionSlugs.map((slug, position) => ({ slug, name: slug.charAt(0).toUpperCase() + slug.slice(1), description: '', position, legacy_paths: [] }));
  const tagNames = [...new Set([...Object.values(TAGS).flat(), ...GENERAL_TAGS])];
  const tags = tagNames.map((name) => ({ slug: slugOf(name), name, legacy_paths: [] }));
  const commenters = Array.from({ length: COMMENTERS }, (_, i) => {
    const name = `${pick(FIRST)} ${pick(LAST)}`;
    return { name, email: `${slugOf(name).replace('-', '.')}${i}@mail.example.org` };
  });
  const searchWords = searchWordsOf(corpus, 24, rand);

  const counts = commentCounts(options.articles - 1, options.comments - options.benchmarkComments, rand);
  counts.push(options.benchmarkComments);

  const stream = createWriteStream(out, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let bytes = 0;
  const write = async (text: string): Promise<void> => {
    bytes += Buffer.byteLength(text);
    if (!stream.write(text)) await once(stream, 'drain');
  };
  const header: Omit<ExportDocument, 'articles'> = { format: 'broadsheet-export', version: 1, exported_at: new Date(LAST_PUBLISHED).toISOString(), site: { name: 'Benchmark News', url: 'http://127.0.0.1' }, sections, authors, tags };
  const head = JSON.stringify(header);
  await write(`${head.slice(0, -1)},\n"articles":[`);

  const usedSlugs = new Set<string>();
  const approvedBy = new Set<string>();
  const slugs: string[] = [];
  let nextCommentId = 1;
  let written = 0;
  for (let n = 0; n < options.articles; n++) {
    const last = n === options.articles - 1;
    const source = last ? median : (corpus[n % corpus.length] as CorpusArticle);
    const headline = variedTitle(source.title, n, corpus.length);
    let slug = slugOf(headline);
    if (usedSlugs.has(slug)) slug = `${slug}-${n}`;
    usedSlugs.add(slug);
    slugs.push(slug);
    const publishedMs = FIRST_PUBLISHED + Math.floor(((LAST_PUBLISHED - DAY_MS - FIRST_PUBLISHED) * n) / Math.max(1, options.articles - 1)) + Math.floor(rand() * 3_600_000);
    const paragraphs = paragraphsOf(source.body);
    const articleTags = new Set<string>();
    for (let t = 1 + Math.floor(rand() * 3); t > 0; t--) articleTags.add(slugOf(pick(TAGS[source.section] ?? GENERAL_TAGS)));
    if (rand() < 0.3) articleTags.add(slugOf(pick(GENERAL_TAGS)));
    const byline = [pick(authors).slug];
    if (rand() < 0.2) byline.push(pick(authors).slug);
    const comments = commentsOf(counts[n]!, nextCommentId, publishedMs, last, corpus, commenters, rand);
    nextCommentId += comments.length;
    written += comments.length;
    for (const c of comments) if (c.status === 'approved') approvedBy.add(c.author_email);
    const published = new Date(publishedMs).toISOString();
    const entry: ExportArticleEntry = {
      id: n + 1,
      kind: 'article',
      slug,
      old_slugs: [],
      legacy_paths: [],
      headline,
      dek: paragraphs[0]?.split('. ')[0]?.slice(0, 200) ?? '',
      body_html: paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n'),
      dateline: 'LONDON',
      status: 'published',
      comment_status: 'open',
      published_at: published,
      created_at: published,
      updated_at: published,
      revised_at: null,
      section: source.section,
      authors: [...new Set(byline)],
      tags: [...articleTags],
      credits: [],
      corrections: [],
      featured_image: null,
      import_source: null,
      import_key: null,
      comments,
    };
    await write(`${n ? ',' : ''}\n${JSON.stringify(entry)}`);
  }
  await write('\n]}\n');
  stream.end();
  await once(stream, 'finish');
  return {
    articles: options.articles,
    comments: written,
    benchmarkSlug: slugs[slugs.length - 1]!,
    benchmarkComments: options.benchmarkComments,
    commentTargetSlug: slugs[slugs.length - 2]!,
    searchWords,
    regulars: commenters.filter((c) => approvedBy.has(c.email)).slice(0, 500),
    bytes,
  };
}
