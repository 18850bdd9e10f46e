/** WordPress post bodies to HTML: block-editor comments removed, paragraphs added as WordPress's wpautop does. */

/** Block-level elements: text next to them is not wrapped, and they are never put inside a <p>. */
const BLOCK = 'address|article|aside|blockquote|details|dl|dd|dt|div|fieldset|figcaption|figure|footer|form|h[1-6]|header|hr|li|main|nav|ol|p|pre|section|table|thead|tbody|tfoot|tr|td|th|caption|ul|style|script|iframe|video|audio|object|embed|select|option|math|svg';
const BLOCK_TAG = new RegExp(`^</?(?:${BLOCK})(?:[\\s/>]|$)`, 'i');
/** Block elements whose content is text, not further blocks. */
const LEAF_TAG = /^<\/?(?:p|h[1-6]|li|dt|dd|td|th|caption|figcaption|address|option)(?:[\s>]|$)/i;
const PRESERVE = /<(pre|script|style|svg|math|textarea)\b[\s\S]*?<\/\1>/gi;

/** `html` without WordPress block-editor delimiters (`<!-- wp:paragraph {...} -->`, `<!-- /wp:… -->`). */
export function stripBlockComments(html: string): string {
  return html.replace(/<!--\s*\/?wp:[\s\S]*?-->/g, '');
}

/**
 * A simplified wpautop (wp-includes/formatting.php): text is split at blank lines; a chunk that starts with a
 * block-level tag is left as it is, any other chunk becomes a <p> with its single newlines turned into <br>.
 * Contents of <pre>, <script>, <style>, <svg>, <math> and <textarea> are never touched.
 */
export function autop(html: string): string {
  const kept: string[] = [];
  const text = html.replace(/\r\n?/g, '\n').replace(PRESERVE, (m) => `\u0000${kept.push(m) - 1}\u0000`);
  // Block tags start and end chunks of their own, so "text<div>…</div>text" wraps only the text.
  const spaced = text.replace(new RegExp(`(</?(?:${BLOCK})\\b[^>]*>)`, 'gi'), '\n\n$1\n\n');
  const out: string[] = [];
  let leafDepth = 0; // open elements that hold text themselves (<p>, <li>, <td>…): their text is never wrapped again
  for (const raw of spaced.split(/\n\s*\n/)) {
    const chunk = raw.trim();
    if (!chunk) continue;
    if (/^\u0000\d+\u0000$/.test(chunk)) out.push(chunk);
    else if (BLOCK_TAG.test(chunk)) {
      if (LEAF_TAG.test(chunk)) leafDepth = chunk.startsWith('</') ? Math.max(0, leafDepth - 1) : leafDepth + 1;
      out.push(chunk);
    } else if (leafDepth > 0) out.push(chunk);
    else out.push(`<p>${chunk.replace(/\n/g, '<br>\n')}</p>`);
  }
  return out.join('\n').replace(/\u0000(\d+)\u0000/g, (_, i: string) => kept[Number(i)] ?? '');
}
