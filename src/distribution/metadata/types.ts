/** Shapes of page metadata the layout renders in <head>: meta tags, autodiscovery links and JSON-LD objects. */

/**
 * One `<meta>` tag: `property` for the Open Graph protocol (`og:*`, `article:*`, RDFa-style), `name` for
 * everything else (`description`, `twitter:*`).
 */
export type MetaTag = { property: string; content: string } | { name: string; content: string };

/** A `<link rel="alternate" type=…>` for feed autodiscovery (RSS Autodiscovery, Atom and JSON Feed 1.1 discovery). */
export interface AlternateLink {
  /** MIME type, e.g. `application/rss+xml`. */
  type: string;
  /** Root-relative path or absolute URL. */
  href: string;
  title: string;
}

/** A JSON value as JSON-LD holds it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One top-level JSON-LD node (schema.org vocabulary), rendered in its own `<script type="application/ld+json">`. */
export interface JsonLdObject {
  '@context': 'https://schema.org';
  '@type': string;
  [key: string]: JsonValue;
}

/** Everything a reader page carries for search engines, social cards and feed readers. */
export interface PageMetadata {
  /** Plain text for `<meta name="description">` and the social descriptions. */
  description: string;
  /** Absolute URL of the page's preferred address. */
  canonical: string;
  meta: MetaTag[];
  alternates: AlternateLink[];
  jsonLd: JsonLdObject[];
}
