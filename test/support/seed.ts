/** The seed article (content/demo/seed/article.txt) and its expected parts, read independently of the importer. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SEED_PATH = fileURLToPath(new URL('../../content/demo/seed/article.txt', import.meta.url));
export const SEED_TEXT = readFileSync(SEED_PATH, 'utf8');
export const SEED_HEADLINE = 'Xi’s Warm Embrace of Putin in China Is a Defiance of the West';
export const SEED_SLUG = 'xis-warm-embrace-of-putin-in-china-is-a-defiance-of-the-west';
export const SEED_CREDIT = 'Olivia Wang contributed research.';

/** The 22 body paragraphs: the non-empty lines between the repeated headline (line 3) and the credit line. */
export const SEED_PARAGRAPHS: string[] = (() => {
  const lines = SEED_TEXT.split('\n').filter((l) => l.trim());
  const start = lines.indexOf(SEED_HEADLINE) + 1;
  const end = lines.indexOf(SEED_CREDIT);
  return lines.slice(start, end);
})();
