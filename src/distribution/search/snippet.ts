/**
 * Highlighting for search results: text split into plain and matched parts (the view wraps matched parts in
 * <mark>, escaping everything), and a short excerpt around the place where the query's words gather.
 */
import { wordsOf, type WordAt } from './tokens.ts';

/** A run of text; `match` when it is a word of the query. */
export interface TextPart {
  text: string;
  match: boolean;
}

/** Words in an excerpt. */
export const SNIPPET_WORDS = 32;
/** Words of context kept before the first match of an excerpt (at most a third of it). */
const LEAD_IN_WORDS = 6;

function parts(text: string, words: WordAt[], terms: ReadonlySet<string>, from: number, to: number): TextPart[] {
  const out: TextPart[] = [];
  let at = from;
  for (const word of words) {
    if (word.start < from || word.end > to || !terms.has(word.term)) continue;
    if (word.start > at) out.push({ text: text.slice(at, word.start), match: false });
    out.push({ text: text.slice(word.start, word.end), match: true });
    at = word.end;
  }
  if (to > at) out.push({ text: text.slice(at, to), match: false });
  return out;
}

/** All of `text`, with the words whose folded term is in `terms` marked. */
export function highlight(text: string, terms: ReadonlySet<string>): TextPart[] {
  return parts(text, wordsOf(text), terms, 0, text.length);
}

/**
 * About `size` words of `text` from just before the window holding the most distinct query words (the earliest
 * such window), with matches marked and "…" where text was cut. The start of the text when nothing matches.
 * `words`: wordsOf(text), when the caller has it already.
 */
export function snippet(text: string, terms: ReadonlySet<string>, size = SNIPPET_WORDS, words: WordAt[] = wordsOf(text)): TextPart[] {
  if (!words.length) return text ? [{ text, match: false }] : [];
  const hits = words.flatMap((w, i) => (terms.has(w.term) ? [i] : []));
  const leadIn = Math.min(LEAD_IN_WORDS, Math.floor(size / 3));
  let best = 0;
  let bestCount = 0;
  for (const [h, start] of hits.entries()) {
    const inWindow = new Set<string>();
    for (let k = h; k < hits.length && hits[k]! < start + size - leadIn; k++) inWindow.add(words[hits[k]!]!.term);
    if (inWindow.size > bestCount) [best, bestCount] = [start, inWindow.size];
  }
  // Lead in a little, but never leave the window short of words when the text has them.
  const first = Math.max(0, Math.min(best - leadIn, words.length - size));
  const last = Math.min(words.length, first + size) - 1;
  const from = first === 0 ? 0 : words[first]!.start;
  const to = last === words.length - 1 ? text.length : words[last]!.end;
  const out = parts(text, words, terms, from, to);
  if (first > 0) out.unshift({ text: '… ', match: false });
  if (to < text.length) out.push({ text: ' …', match: false });
  return out;
}
