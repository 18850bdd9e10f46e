/** Serialising JSON-LD for an HTML `<script type="application/ld+json">` data block. */
import type { JsonLdObject } from './types.ts';

/**
 * JSON text safe inside a `<script>` element: `<`, `>` and `&` become `\u003c`, `\u003e`, `\u0026`, so neither
 * `</script>` nor `<!--` in a headline can end the element or switch the HTML tokenizer into its escaped states
 * (HTML Living Standard §4.12.1.3). U+2028/U+2029 are escaped too. JSON.parse reads the result back unchanged.
 */
export function serializeJsonLd(value: JsonLdObject): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
