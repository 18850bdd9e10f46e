/** A stored image as pages show it responsively (picture sources and srcsets), from its media row alone: no query, no sharp. */
import type { MediaVariant, VariantFormat } from './images.ts';
import type { MediaStorage } from './storage.ts';

/** What a page needs to show an image responsively. */
export interface ResponsiveImage {
  width: number;
  height: number;
  /** One per modern format, best first: `{ type: 'image/avif', srcset: '/media/… 480w, …' }`. */
  sources: { type: string; srcset: string }[];
  /** The fallback format's largest variant up to 1200 px, and its srcset. */
  src: string;
  srcset: string;
}

const MIME: Record<VariantFormat, string> = { avif: 'image/avif', webp: 'image/webp', jpeg: 'image/jpeg', png: 'image/png' };

/** The responsive image of a media row (`variants`: the JSON array of MediaVariant stored with it). */
export function responsiveImageOf(storage: MediaStorage, row: { width: number; height: number; variants: string }): ResponsiveImage {
  const variants = JSON.parse(row.variants) as MediaVariant[];
  const srcsetOf = (format: VariantFormat) =>
    variants
      .filter((v) => v.format === format)
      .map((v) => `${storage.url(v.key)} ${v.width}w`)
      .join(', ');
  const fallbackFormat: VariantFormat = variants.some((v) => v.format === 'png') ? 'png' : 'jpeg';
  const fallbacks = variants.filter((v) => v.format === fallbackFormat).sort((a, b) => a.width - b.width);
  const src = [...fallbacks].reverse().find((v) => v.width <= 1200) ?? fallbacks[0]!;
  return {
    width: row.width,
    height: row.height,
    sources: (['avif', 'webp'] as const).map((format) => ({ type: MIME[format], srcset: srcsetOf(format) })).filter((s) => s.srcset),
    src: storage.url(src.key),
    srcset: srcsetOf(fallbackFormat),
  };
}
