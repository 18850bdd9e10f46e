import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ArticleView } from '../../articles/service.ts';
import type { SiteView } from '../../web/site.ts';
import { articleDescription, articleMetadata } from './article.ts';
import { modifiedTime } from './article-json-ld.ts';
import type { MetaTag } from './types.ts';

const site: SiteView = { name: 'The World News', url: 'https://news.example.com', language: 'en-GB', timeZone: 'UTC', sections: [], now: '2026-12-01T09:00:00.000Z', stylesheet: '/assets/site.css' };

function article(overrides: Partial<ArticleView> = {}): ArticleView {
  return {
    id: 7,
    slug: 'harbour-at-dawn',
    kind: 'article',
    headline: 'Harbour at dawn',
    dek: 'Boats leave before the sun.',
    bodyHtml: '<p>The first boats leave at five.</p><p>More.</p>',
    dateline: 'DOVER',
    publishedAt: '2026-11-30T06:00:00.000Z',
    updatedAt: '2026-11-30T07:30:00.000Z',
    revisedAt: '2026-11-30T07:00:00.000Z',
    commentStatus: 'open',
    commentCount: 0,
    section: { slug: 'uk', name: 'UK' },
    authors: [
      { slug: 'jane-doe', name: 'Jane Doe' },
      { slug: 'john-roe', name: 'John Roe' },
    ],
    tags: [
      { slug: 'fishing', name: 'Fishing' },
      { slug: 'ports', name: 'Ports' },
    ],
    credits: [],
    corrections: [],
    featured: {
      alt: 'Fishing boats leaving the harbour',
      caption: '',
      credit: '',
      image: {
        width: 2000,
        height: 1200,
        sources: [{ type: 'image/avif', srcset: '/media/2026/11/h-480.avif 480w' }],
        src: '/media/2026/11/h-1200.jpg',
        srcset: '/media/2026/11/h-480.jpg 480w, /media/2026/11/h-800.jpg 800w, /media/2026/11/h-1200.jpg 1200w, /media/2026/11/h-1600.jpg 1600w',
      },
    },
    ...overrides,
  };
}

const pairs = (tags: MetaTag[]): [string, string][] => tags.map((t) => ['property' in t ? t.property : t.name, t.content]);

test('a full article: Open Graph, article:* and a large-image Twitter card, in order', () => {
  const m = articleMetadata(site, article());
  const url = 'https://news.example.com/articles/harbour-at-dawn';
  assert.equal(m.canonical, url);
  assert.equal(m.description, 'Boats leave before the sun.');
  assert.deepEqual(pairs(m.meta), [
    ['og:type', 'article'],
    ['og:title', 'Harbour at dawn'],
    ['og:description', 'Boats leave before the sun.'],
    ['og:url', url],
    ['og:site_name', 'The World News'],
    ['og:locale', 'en_GB'],
    ['og:image', 'https://news.example.com/media/2026/11/h-1200.jpg'],
    ['og:image:width', '1200'],
    ['og:image:height', '720'],
    ['og:image:alt', 'Fishing boats leaving the harbour'],
    ['article:published_time', '2026-11-30T06:00:00.000Z'],
    ['article:modified_time', '2026-11-30T07:00:00.000Z'],
    ['article:section', 'UK'],
    ['article:tag', 'Fishing'],
    ['article:tag', 'Ports'],
    ['article:author', 'https://news.example.com/author/jane-doe'],
    ['article:author', 'https://news.example.com/author/john-roe'],
    ['twitter:card', 'summary_large_image'],
    ['twitter:title', 'Harbour at dawn'],
    ['twitter:description', 'Boats leave before the sun.'],
    ['twitter:image', 'https://news.example.com/media/2026/11/h-1200.jpg'],
    ['twitter:image:alt', 'Fishing boats leaving the harbour'],
  ]);
  assert.deepEqual(
    m.alternates.map((a) => [a.type, a.href]),
    [
      ['application/rss+xml', '/feed.xml'],
      ['application/atom+xml', '/feed.atom'],
      ['application/feed+json', '/feed.json'],
      ['application/rss+xml', '/articles/harbour-at-dawn/comments/feed.xml'],
    ],
  );
});

test('a full article: NewsArticle and BreadcrumbList JSON-LD', () => {
  const [news, crumbs] = articleMetadata(site, article()).jsonLd;
  const url = 'https://news.example.com/articles/harbour-at-dawn';
  assert.deepEqual(news, {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    '@id': `${url}#article`,
    url,
    headline: 'Harbour at dawn',
    description: 'Boats leave before the sun.',
    image: ['1600', '1200', '800', '480'].map((w) => `https://news.example.com/media/2026/11/h-${w}.jpg`),
    datePublished: '2026-11-30T06:00:00.000Z',
    dateModified: '2026-11-30T07:00:00.000Z',
    author: [
      { '@type': 'Person', name: 'Jane Doe', url: 'https://news.example.com/author/jane-doe' },
      { '@type': 'Person', name: 'John Roe', url: 'https://news.example.com/author/john-roe' },
    ],
    publisher: { '@type': 'Organization', name: 'The World News', url: 'https://news.example.com/', logo: { '@type': 'ImageObject', url: 'https://news.example.com/assets/logo.png', width: 512, height: 512 } },
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    articleSection: 'UK',
    keywords: ['Fishing', 'Ports'],
    isAccessibleForFree: true,
    inLanguage: 'en-GB',
  });
  assert.deepEqual(crumbs, {
    '@context': 'https://schema.org',
    '@type': 'BreadcrumbList',
    itemListElement: [
      { '@type': 'ListItem', position: 1, name: 'Home', item: 'https://news.example.com/' },
      { '@type': 'ListItem', position: 2, name: 'UK', item: 'https://news.example.com/section/uk' },
      { '@type': 'ListItem', position: 3, name: 'Harbour at dawn', item: url },
    ],
  });
});

test('a bare article: lede as description, no image, the publication as author, Home → Article', () => {
  const m = articleMetadata(site, article({ dek: '', featured: undefined, authors: [], tags: [], section: undefined }));
  assert.equal(m.description, 'The first boats leave at five.');
  const names = pairs(m.meta).map(([k]) => k);
  for (const absent of ['og:image', 'article:section', 'article:tag', 'article:author', 'twitter:image']) assert.ok(!names.includes(absent), absent);
  assert.deepEqual(pairs(m.meta).find(([k]) => k === 'twitter:card'), ['twitter:card', 'summary']);
  const [news, crumbs] = m.jsonLd;
  assert.equal(news!.image, undefined);
  assert.equal(news!.articleSection, undefined);
  assert.deepEqual(news!.author, [{ '@type': 'Organization', name: 'The World News', url: 'https://news.example.com/' }]);
  assert.deepEqual(
    (crumbs!.itemListElement as { name: string }[]).map((c) => c.name),
    ['Home', 'Harbour at dawn'],
  );
});

test('articleDescription: dek, else the lede, trimmed to 200 characters', () => {
  const long = `${'word '.repeat(60)}end`;
  const cases: [Pick<ArticleView, 'dek' | 'bodyHtml'>, string][] = [
    [{ dek: 'The dek.', bodyHtml: '<p>Lede.</p>' }, 'The dek.'],
    [{ dek: '  ', bodyHtml: '<h2>Sub</h2><p>Lede <em>here</em>.</p>' }, 'Lede here.'],
    [{ dek: '', bodyHtml: '' }, ''],
    [{ dek: long, bodyHtml: '' }, `${'word '.repeat(39)}word…`],
  ];
  for (const [input, expected] of cases) assert.equal(articleDescription(input), expected, input.dek || input.bodyHtml);
});

test('modifiedTime: the last substantial revision, else publication (as sitemaps and feeds say); plain saves do not count', () => {
  const cases: [Pick<ArticleView, 'publishedAt' | 'revisedAt'>, string][] = [
    [{ publishedAt: '2026-11-30T06:00:00.000Z', revisedAt: '2026-11-30T07:00:00.000Z' }, '2026-11-30T07:00:00.000Z'],
    [{ publishedAt: '2026-11-30T06:00:00.000Z', revisedAt: null }, '2026-11-30T06:00:00.000Z'],
    // A revision time before publication (an imported article's history) never makes it look older.
    [{ publishedAt: '2026-11-30T06:00:00.000Z', revisedAt: '2026-11-29T20:00:00.000Z' }, '2026-11-30T06:00:00.000Z'],
  ];
  for (const [input, expected] of cases) assert.equal(modifiedTime(input), expected);
});
