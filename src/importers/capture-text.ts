/**
 * Parser for plain-text captures of article pages: line 1 `<headline> - <site name>`, the headline repeated,
 * body paragraphs separated by blank lines, trailing credit lines, and site boilerplate (dropped).
 */
import { paragraphsToHtml } from '../lib/sanitize.ts';
import { CaptureError, type CapturedArticle } from './capture.ts';
import { headlineFromTitle, splitBodyAndCredits } from './capture-rules.ts';

/** Blocks of text separated by blank lines, with line breaks inside a block folded to spaces. */
function blocksOf(text: string): string[] {
  return text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((block) => block.replace(/\s*\n\s*/g, ' ').trim())
    .filter(Boolean);
}

/** Parses a text capture. Throws CaptureError when the text is empty, binary, or has no body. */
export function parseTextCapture(text: string, opts: { siteName?: string } = {}): CapturedArticle {
  if (text.includes('\u0000')) throw new CaptureError('the file is binary, not a text capture');
  const blocks = blocksOf(text);
  const title = blocks.shift();
  if (!title) throw new CaptureError('the file is empty');
  const headline = headlineFromTitle(title, { siteName: opts.siteName, headlineHint: blocks[0] });
  // Captures repeat the headline under the page title.
  if (blocks[0] !== undefined && blocks[0].toLowerCase() === headline.toLowerCase()) blocks.shift();
  const { body, credits } = splitBodyAndCredits(blocks);
  if (!body.length) throw new CaptureError('no article body found after the headline');
  return { headline, dek: '', bodyHtml: paragraphsToHtml(body), credits, authors: [], tags: [] };
}
