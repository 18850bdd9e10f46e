/** Finds active content in rendered HTML: script/style/iframe-like elements, on* handlers, non-http(s) URLs. */

const DANGEROUS_TAGS = new Set(['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'SVG', 'MATH', 'BASE', 'FORM', 'META', 'LINK', 'STYLE']);

/** Descriptions of every dangerous element, handler attribute or script URL inside `root`; empty when clean. */
export function activeContentIn(root: Element): string[] {
  const found: string[] = [];
  for (const el of [root, ...root.querySelectorAll('*')]) {
    if (DANGEROUS_TAGS.has(el.tagName.toUpperCase())) found.push(`<${el.tagName.toLowerCase()}>`);
    for (const attr of [...el.attributes]) {
      if (/^on/i.test(attr.name)) found.push(`${el.tagName.toLowerCase()}[${attr.name}]`);
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'style'].includes(attr.name.toLowerCase())) {
        const value = attr.value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
        if (attr.name === 'style' || /^(javascript|vbscript|data):/.test(value)) found.push(`${el.tagName.toLowerCase()}[${attr.name}=${attr.value}]`);
      }
    }
  }
  return found;
}
