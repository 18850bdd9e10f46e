/**
 * WordPress post bodies to HTML as WordPress renders them: block-editor comments removed, then paragraphs added by
 * WordPress's own wpautop (the @wordpress/autop port of wp-includes/formatting.php).
 */
import { autop as wpautop } from '@wordpress/autop';

/** `html` without WordPress block-editor delimiters (`<!-- wp:paragraph {...} -->`, `<!-- /wp:… -->`). */
export function stripBlockComments(html: string): string {
  return html.replace(/<!--\s*\/?wp:[\s\S]*?-->/g, '');
}

/**
 * Paragraphs for classic-editor text: blank lines make <p>, single newlines <br>, block elements are left alone.
 * Block-editor content already holds its <p>s, and WordPress does not add line breaks to it: its delimiters are
 * removed and only text left outside any block element is wrapped (no <br> for single newlines).
 */
export function renderPostBody(content: string): string {
  const blocks = /<!--\s*\/?wp:/.test(content);
  return wpautop(stripBlockComments(content).replace(/\r\n?/g, '\n'), !blocks).trim();
}
