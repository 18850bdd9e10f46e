/** The page frame of the reader site: head, skip link, masthead with section navigation, main landmark, footer. */
import type { ComponentChildren } from 'preact';
import { serializeJsonLd } from '../../distribution/metadata/json-ld.ts';
import type { AlternateLink, JsonLdObject, MetaTag } from '../../distribution/metadata/types.ts';
import { SearchForm } from '../../distribution/search/views/search-form.tsx';
import { paths, formatToday, type SiteView } from '../site.ts';
import { Script } from './script.tsx';
import { assetPath } from '../asset-paths.ts';

export interface LayoutProps {
  site: SiteView;
  /** Full document title; defaults to the site name. */
  title?: string;
  description?: string;
  /** Absolute canonical URL. */
  canonical?: string;
  /** Slug of the section to mark as current in the navigation. */
  currentSection?: string;
  /** Keep search engines away (previews). */
  noindex?: boolean;
  /** Open Graph (`property`) and Twitter card (`name`) tags, in order (distribution/metadata). */
  meta?: MetaTag[];
  /** Feed autodiscovery links. */
  alternates?: AlternateLink[];
  /** Structured data, one `<script type="application/ld+json">` each. */
  jsonLd?: JsonLdObject[];
  children: ComponentChildren;
}

/** `<meta property>` for Open Graph, `<meta name>` otherwise. */
function Meta({ tag }: { tag: MetaTag }) {
  return 'property' in tag ? <meta property={tag.property} content={tag.content} /> : <meta name={tag.name} content={tag.content} />;
}

export function Layout({ site, title, description, canonical, currentSection, noindex, meta = [], alternates = [], jsonLd = [], children }: LayoutProps) {
  return (
    <html lang={site.language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title ?? site.name}</title>
        {description ? <meta name="description" content={description} /> : null}
        {canonical ? <link rel="canonical" href={canonical} /> : null}
        {noindex ? <meta name="robots" content="noindex, nofollow" /> : null}
        {meta.map((tag) => (
          <Meta tag={tag} />
        ))}
        {alternates.map((link) => (
          <link rel="alternate" type={link.type} href={link.href} title={link.title} />
        ))}
        <meta name="color-scheme" content="light dark" />
        <link rel="icon" href={assetPath('favicon.svg')} type="image/svg+xml" />
        <link rel="stylesheet" href={site.stylesheet} />
        {jsonLd.map((data) => (
          // A data block, not run (it carries the nonce like every script element); serializeJsonLd escapes `<` so it cannot end early.
          <Script type="application/ld+json" dangerouslySetInnerHTML={{ __html: serializeJsonLd(data) }} />
        ))}
      </head>
      <body>
        <a class="skip-link" href="#content">
          Skip to content
        </a>
        <header class="masthead">
          <div class="masthead-inner">
            <p class="masthead-date">{formatToday(site)}</p>
            <a class="masthead-name" href={paths.home()}>
              {site.name}
            </a>
            <SearchForm id="masthead-search-q" label="Site" class="search-form masthead-search" />
          </div>
          <nav class="section-nav" aria-label="Sections">
            <ul>
              <li>
                <a href={paths.home()} aria-current={currentSection === '' ? 'page' : undefined}>
                  Home
                </a>
              </li>
              {site.sections.map((s) => (
                <li key={s.slug}>
                  <a href={paths.section(s.slug)} aria-current={currentSection === s.slug ? 'page' : undefined}>
                    {s.name}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        <main id="content" tabIndex={-1}>
          {children}
        </main>
        <footer class="site-footer">
          <p>
            © {site.now.slice(0, 4)} {site.name}. Published with Broadsheet.
          </p>
        </footer>
      </body>
    </html>
  );
}
