/**
 * Search words: how article text and readers' queries become index terms. One definition for both databases, so
 * SQLite (FTS5) and PostgreSQL (tsvector) store and match exactly the same terms.
 */

/** A word: a run of letters, digits (any script), combining marks and private-use characters. */
const WORD = /[\p{L}\p{N}\p{M}\p{Co}]+/gu;
/** What is left of a word after folding may only contain these (compatibility forms can decompose into punctuation). */
const NOT_WORD = /[^\p{L}\p{N}\p{M}\p{Co}]/gu;
/**
 * Combining marks on a Latin, Greek or Cyrillic letter are accents, dropped so "café" finds "cafe" (as FTS5's
 * unicode61 remove_diacritics does). In other scripts (Devanagari vowel signs, …) marks are part of the letter.
 */
const ACCENTS = /([\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}])\p{M}+/gu;

/** Longest term kept, in code points: longer runs (base64, hashes) are cut, which also keeps PostgreSQL's lexeme limit (2 KB) far away. */
export const MAX_TERM_LENGTH = 64;
/** Distinct terms a query may hold; the rest of a very long query is ignored. */
export const MAX_QUERY_TERMS = 16;
const ASCII_WORD = /^[A-Za-z0-9]+$/;

/** Characters of a query that are read at all. */
export const MAX_QUERY_LENGTH = 1000;

/**
 * The index form of one word: compatibility-decomposed (NFKD, so "ﬁ" is "fi" and "𝐀" is "a"), lowercased, accents
 * dropped, final sigma as sigma, recomposed (NFC), cut to MAX_TERM_LENGTH. '' when nothing of it is a word.
 */
export function foldWord(raw: string): string {
  // Most words of English text are ASCII letters and digits, which all of the below leaves as they are but the case:
  // skipping the two normalisations makes highlighting search results several times cheaper.
  if (ASCII_WORD.test(raw)) return (raw.length > MAX_TERM_LENGTH ? raw.slice(0, MAX_TERM_LENGTH) : raw).toLowerCase();
  const folded = raw.normalize('NFKD').toLowerCase().replace(/ς/g, 'σ').replace(ACCENTS, '$1').normalize('NFC').replace(NOT_WORD, '');
  const points = [...folded];
  return points.length > MAX_TERM_LENGTH ? points.slice(0, MAX_TERM_LENGTH).join('') : folded;
}

/** A word of `text` with its place: `start`/`end` are UTF-16 offsets into `text`, `term` its folded form. */
export interface WordAt {
  start: number;
  end: number;
  term: string;
}

/** Every word of `text` in order, with offsets (for highlighting) and folded terms (for matching). */
export function wordsOf(text: string): WordAt[] {
  const words: WordAt[] = [];
  for (const match of text.matchAll(WORD)) {
    const term = foldWord(match[0]);
    if (term) words.push({ start: match.index, end: match.index + match[0].length, term });
  }
  return words;
}

/** The distinct terms of `text`, in order of first appearance. */
export function termsOf(text: string): string[] {
  return [...new Set(wordsOf(text).map((w) => w.term))];
}

/** The part of a query that is read: its first MAX_QUERY_LENGTH characters, without a word cut in two at the end. */
export function clipQuery(query: string): string {
  if (query.length <= MAX_QUERY_LENGTH) return query;
  const head = query.slice(0, MAX_QUERY_LENGTH);
  return /[\p{L}\p{N}\p{M}\p{Co}]/u.test(query.charAt(MAX_QUERY_LENGTH)) ? head.replace(/[\p{L}\p{N}\p{M}\p{Co}]+$/u, '') : head;
}

/**
 * A reader's query as plain words: never search syntax, so `AND`, `"`, `*`, `-`, `NEAR(` or `:` are words or
 * nothing. Distinct terms, at most MAX_QUERY_TERMS, of clipQuery(query). [] for no words.
 */
export function queryTerms(query: string): string[] {
  return termsOf(clipQuery(query)).slice(0, MAX_QUERY_TERMS);
}
