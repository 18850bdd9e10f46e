/** A captured article page reduced to what Broadsheet stores: headline, dek, sanitised body HTML, credits, metadata. */

export interface CapturedArticle {
  headline: string;
  dek: string;
  /** Body HTML; the article service sanitises it again before storing. */
  bodyHtml: string;
  credits: string[];
  /** Byline names in order, when the capture names them. */
  authors: string[];
  /** ISO-8601 UTC, when the capture states it. */
  publishedAt?: string;
  section?: string;
  tags: string[];
  /** The page's canonical URL (`<link rel=canonical>` / og:url), when the capture has one: the best identity. */
  canonicalUrl?: string;
}

/** A capture that cannot be imported; `reason` says why in words a person can act on. */
export class CaptureError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'CaptureError';
  }
}
