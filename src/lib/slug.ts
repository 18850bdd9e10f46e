/** URL slugs from headlines and names (@sindresorhus/slugify, transliterating any script to ASCII). */
import { createHash } from 'node:crypto';
import slugify from '@sindresorhus/slugify';

/** Longest slug we generate, in characters; longer headlines are cut at a word boundary. */
const MAX_SLUG_LENGTH = 80;

/**
 * A lowercase, hyphenated ASCII slug for `text`. Never empty: text with nothing to transliterate
 * (e.g. emoji only) gets a stable `fallbackPrefix-<hash>` slug derived from the text itself.
 */
export function slugFor(text: string, fallbackPrefix = 'article'): string {
  let slug = slugify(text, { decamelize: false });
  if (slug.length > MAX_SLUG_LENGTH) {
    slug = slug.slice(0, MAX_SLUG_LENGTH);
    const cut = slug.lastIndexOf('-');
    if (cut > MAX_SLUG_LENGTH / 2) slug = slug.slice(0, cut);
  }
  if (slug) return slug;
  return `${fallbackPrefix}-${createHash('sha256').update(text).digest('hex').slice(0, 8)}`;
}
