/** The featured image as social cards and structured data want it: absolute URLs with pixel sizes. */
import type { ResponsiveImage } from '../../media/service.ts';
import type { SiteView } from '../../web/site.ts';
import { absoluteUrl } from './text.ts';

export interface SizedImage {
  /** Absolute URL. */
  url: string;
  /** Pixels. */
  width: number;
  height: number;
}

/** The fallback-format (JPEG or PNG) variants of `image`, widest first, with heights kept to the original's ratio. */
export function fallbackVariants(site: Pick<SiteView, 'url'>, image: ResponsiveImage): SizedImage[] {
  const variants = image.srcset
    .split(',')
    .map((entry) => /^\s*(\S+)\s+(\d+)w\s*$/.exec(entry))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => {
      const width = Number(m[2]);
      return { url: absoluteUrl(site, m[1]!), width, height: Math.round((width * image.height) / image.width) };
    });
  return variants.sort((a, b) => b.width - a.width);
}

/**
 * The image for `og:image` / `twitter:image`: the page's fallback `src` (up to 1200 px wide, which the Open Graph
 * consumers recommend), with its size from the srcset; the original size when the srcset does not list it.
 */
export function socialImage(site: Pick<SiteView, 'url'>, image: ResponsiveImage): SizedImage {
  const url = absoluteUrl(site, image.src);
  return fallbackVariants(site, image).find((v) => v.url === url) ?? { url, width: image.width, height: image.height };
}
