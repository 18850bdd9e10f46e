import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SiteView } from '../../web/site.ts';
import { frontPageMetadata, listingMetadata, type ListingMetadataInput } from './listing.ts';

const site: SiteView = { name: 'The World News', url: 'https://news.example.com', language: 'en', timeZone: 'UTC', sections: [], now: '2026-12-01T09:00:00.000Z', stylesheet: '/assets/site.css' };

test('front page: website card and the site feeds', () => {
  const m = frontPageMetadata(site);
  assert.equal(m.canonical, 'https://news.example.com/');
  assert.equal(m.description, 'Latest news from The World News.');
  assert.deepEqual(m.meta.find((t) => 'property' in t && t.property === 'og:type'), { property: 'og:type', content: 'website' });
  assert.deepEqual(
    m.alternates.map((a) => [a.type, a.href, a.title]),
    [
      ['application/rss+xml', '/feed.xml', 'The World News (RSS)'],
      ['application/atom+xml', '/feed.atom', 'The World News (Atom)'],
      ['application/feed+json', '/feed.json', 'The World News (JSON Feed)'],
    ],
  );
  assert.deepEqual(m.jsonLd, [
    {
      '@context': 'https://schema.org',
      '@type': 'NewsMediaOrganization',
      name: 'The World News',
      url: 'https://news.example.com/',
      logo: { '@type': 'ImageObject', url: 'https://news.example.com/assets/logo.png', width: 512, height: 512 },
    },
  ]);
});

test('section, tag and author pages: own description or a sentence naming them, own feeds, own canonical', () => {
  const cases: [ListingMetadataInput, { canonical: string; description: string; feeds: string[] }][] = [
    [
      { scope: { kind: 'section', slug: 'world', name: 'World' }, description: 'News from everywhere.', path: '/section/world' },
      { canonical: 'https://news.example.com/section/world', description: 'News from everywhere.', feeds: ['/section/world/feed.xml', '/section/world/feed.atom', '/section/world/feed.json'] },
    ],
    [
      { scope: { kind: 'section', slug: 'world', name: 'World' }, description: '', path: '/section/world?before=2026-11-30T06%3A00%3A00.000Z_7' },
      { canonical: 'https://news.example.com/section/world?before=2026-11-30T06%3A00%3A00.000Z_7', description: 'The latest World stories from The World News.', feeds: ['/section/world/feed.xml', '/section/world/feed.atom', '/section/world/feed.json'] },
    ],
    [
      { scope: { kind: 'tag', slug: 'ports', name: 'Ports' }, path: '/tag/ports' },
      { canonical: 'https://news.example.com/tag/ports', description: 'Stories about Ports from The World News.', feeds: ['/tag/ports/feed.xml', '/tag/ports/feed.atom', '/tag/ports/feed.json'] },
    ],
    [
      { scope: { kind: 'author', slug: 'jane-doe', name: 'Jane Doe' }, description: '  Jane covers the coast.  ', path: '/author/jane-doe' },
      { canonical: 'https://news.example.com/author/jane-doe', description: 'Jane covers the coast.', feeds: ['/author/jane-doe/feed.xml', '/author/jane-doe/feed.atom', '/author/jane-doe/feed.json'] },
    ],
    [
      { scope: { kind: 'tag', slug: 'москва', name: 'Москва' }, path: '/tag/%D0%BC%D0%BE%D1%81%D0%BA%D0%B2%D0%B0' },
      { canonical: 'https://news.example.com/tag/%D0%BC%D0%BE%D1%81%D0%BA%D0%B2%D0%B0', description: 'Stories about Москва from The World News.', feeds: ['/tag/%D0%BC%D0%BE%D1%81%D0%BA%D0%B2%D0%B0/feed.xml', '/tag/%D0%BC%D0%BE%D1%81%D0%BA%D0%B2%D0%B0/feed.atom', '/tag/%D0%BC%D0%BE%D1%81%D0%BA%D0%B2%D0%B0/feed.json'] },
    ],
  ];
  for (const [input, expected] of cases) {
    const m = listingMetadata(site, input);
    assert.equal(m.canonical, expected.canonical, input.path);
    assert.equal(m.description, expected.description, input.path);
    assert.deepEqual(m.alternates.map((a) => a.href), expected.feeds, input.path);
    assert.match(m.alternates[0]!.title, new RegExp(`^The World News: ${input.scope.name} \\(RSS\\)$`));
    const og = Object.fromEntries(m.meta.map((t) => ['property' in t ? t.property : t.name, t.content]));
    assert.equal(og['og:type'], 'website');
    assert.equal(og['og:url'], expected.canonical);
    assert.equal(og['og:title'], `${input.scope.name} - The World News`);
    assert.equal(og['og:locale'], 'en_US');
    assert.equal(og['twitter:card'], 'summary');
    assert.deepEqual(m.jsonLd, []);
  }
});
