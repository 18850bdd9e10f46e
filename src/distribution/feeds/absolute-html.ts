/** Article HTML made fit for feeds: feed readers show it away from the site, so every link and image must be absolute. */
import { parseHTML } from 'linkedom';

const URL_ATTRIBUTES = ['href', 'src', 'poster', 'cite'] as const;

function resolve(value: string, base: string): string {
  try {
    return new URL(value.trim(), base).href;
  } catch {
    return value;
  }
}

/** `html` (already sanitised) with href/src/poster/cite and srcset addresses resolved against `base` (the absolute URL of the article, so `#notes` still points into it). */
export function withAbsoluteUrls(html: string, base: string): string {
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  for (const attribute of URL_ATTRIBUTES) {
    for (const element of document.querySelectorAll(`[${attribute}]`)) {
      const value = element.getAttribute(attribute);
      if (value) element.setAttribute(attribute, resolve(value, base));
    }
  }
  for (const element of document.querySelectorAll('[srcset]')) {
    const candidates = (element.getAttribute('srcset') ?? '').split(',').map((candidate) => {
      const [url, ...descriptor] = candidate.trim().split(/\s+/);
      return url ? [resolve(url, base), ...descriptor].join(' ') : '';
    });
    element.setAttribute('srcset', candidates.filter(Boolean).join(', '));
  }
  return document.body.innerHTML;
}
