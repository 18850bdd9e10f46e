/**
 * What the generated benchmark datasets share: reading the news corpus (BBC copyright: read at run time, never copied
 * into the repository; see /work/shared/corpus/news/SOURCE.md), a seeded PRNG, and the names, tags and phrases the
 * generators vary articles and comments with.
 */
import { createReadStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The corpus file: BENCH_CORPUS, else the shared corpus beside the checkout. */
export const CORPUS_PATH = process.env.BENCH_CORPUS ?? join(dirname(dirname(dirname(fileURLToPath(import.meta.url)))), '..', 'shared', 'corpus', 'news', 'articles.jsonl');

/** One line of the corpus; only these fields are used. */
export interface CorpusArticle {
  title: string;
  /** Paragraphs separated by blank lines. */
  body: string;
  /** business, entertainment, politics, sport or tech. */
  section: string;
}

/** Deterministic PRNG (mulberry32) in [0, 1), so every run writes the same data for the same options. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every article of the corpus at `path` (JSON lines), in file order; throws when there are none. */
export async function readCorpus(path: string): Promise<CorpusArticle[]> {
  const articles: CorpusArticle[] = [];
  for await (const line of createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity })) {
    if (!line.trim()) continue;
    const { title, body, section } = JSON.parse(line) as CorpusArticle;
    articles.push({ title, body, section });
  }
  if (!articles.length) throw new Error(`${path}: no articles`);
  return articles;
}

/** A lowercase ASCII slug of at most 80 characters ("post" when nothing is left). */
export function slugOf(text: string): string {
  return text.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80) || 'post';
}

/** The paragraphs of a corpus body. */
export function paragraphsOf(body: string): string[] {
  return body.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
}

export const FIRST = ['Alice', 'Ben', 'Chloe', 'Dev', 'Emma', 'Farid', 'Grace', 'Hiro', 'Isla', 'Jonas', 'Kemi', 'Liam', 'Maya', 'Nikos', 'Olga', 'Pedro', 'Quinn', 'Rosa', 'Sam', 'Tariq', 'Una', 'Victor', 'Wen', 'Yusuf', 'Zoë'];
export const LAST = ['Adams', 'Brennan', 'Costa', 'Dubois', 'Evans', 'Fischer', 'García', 'Hughes', 'Ito', 'Jensen', 'Kowalski', 'Lund', 'Moreau', 'Nakamura', 'O’Brien', 'Patel', 'Rossi', 'Schmidt', 'Torres', 'Walsh'];
/** Tags per corpus section. */
export const TAGS: Record<string, string[]> = {
  business: ['Markets', 'Economy', 'Interest rates', 'Trade', 'Energy', 'Banking', 'Jobs', 'Retail', 'Oil', 'Mergers'],
  entertainment: ['Film', 'Music', 'Television', 'Awards', 'Theatre', 'Box office', 'Celebrity', 'Books', 'Festivals'],
  politics: ['Elections', 'Parliament', 'Labour', 'Conservatives', 'Liberal Democrats', 'Europe', 'Immigration', 'Tax', 'Health policy'],
  sport: ['Football', 'Rugby', 'Tennis', 'Athletics', 'Cricket', 'Six Nations', 'Premiership', 'Olympics', 'Transfers'],
  tech: ['Mobile', 'Internet', 'Games', 'Broadband', 'Security', 'Software', 'Gadgets', 'Music downloads', 'Spam'],
};
export const GENERAL_TAGS = ['Analysis', 'UK', 'US', 'Asia', 'Features', 'Breaking'];
/** Ways of varying a headline each time the corpus is cycled. */
export const TITLE_FORMS = [(t: string) => t, (t: string) => `${t}: latest`, (t: string) => `Analysis: ${t}`, (t: string) => `${t}, reports say`, (t: string) => `Update: ${t}`, (t: string) => `${t} (live)`, (t: string) => `Explainer: ${t}`];
export const COMMENT_OPENERS = ['Interesting piece.', 'I disagree.', 'Thanks for this.', 'Not convinced.', 'Well written, but', 'As someone who works in this area,', 'Great reporting.', 'Who checked these figures?'];

/** The headline of the `n`th generated article cycling a corpus of `size` articles: unique across rounds. */
export function variedTitle(title: string, n: number, size: number): string {
  const round = Math.floor(n / size);
  return (TITLE_FORMS[round % TITLE_FORMS.length] as (t: string) => string)(title) + (round >= TITLE_FORMS.length ? ` (${round})` : '');
}

/** A sentence of up to 400 characters from a random corpus article, for comment text. */
export function corpusSentence(corpus: readonly CorpusArticle[], rand: () => number): string {
  const body = (corpus[Math.floor(rand() * corpus.length)] as CorpusArticle).body;
  const sentences = body.split(/(?<=\.) /);
  return (sentences[Math.floor(rand() * sentences.length)] as string).slice(0, 400);
}
