/**
 * URL slugs from headlines and names. By default ASCII, transliterating any script (@sindresorhus/slugify);
 * optionally Unicode, keeping letters and digits of every script (percent-encoded in URLs by the router).
 */
import { createHash } from 'node:crypto';
import slugify from '@sindresorhus/slugify';

/** Longest slug we generate, in characters; longer headlines are cut at a word boundary. */
const MAX_SLUG_LENGTH = 80;

export interface SlugOptions {
  /** Keep letters of every script instead of transliterating to ASCII (site setting SLUGS=unicode). */
  unicode?: boolean;
}

function unicodeSlug(text: string): string {
  return text
    .normalize('NFC')
    .toLocaleLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

function cut(slug: string): string {
  const chars = [...slug];
  if (chars.length <= MAX_SLUG_LENGTH) return slug;
  let short = chars.slice(0, MAX_SLUG_LENGTH).join('');
  const at = short.lastIndexOf('-');
  if (at > MAX_SLUG_LENGTH / 2) short = short.slice(0, at);
  return short.replace(/-+$/, '');
}

/**
 * A lowercase, hyphenated slug for `text`. Never empty: text with no letters or digits (an emoji-only headline)
 * gets a stable `fallbackPrefix-<hash>` slug derived from the text itself.
 */
export function slugFor(text: string, fallbackPrefix = 'article', options: SlugOptions = {}): string {
  const slug = cut(options.unicode ? unicodeSlug(text) : slugify(text, { decamelize: false }));
  if (slug) return slug;
  return `${fallbackPrefix}-${createHash('sha256').update(text.normalize('NFC')).digest('hex').slice(0, 8)}`;
}
