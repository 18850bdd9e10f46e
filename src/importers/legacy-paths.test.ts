import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isLiveAddress, normalizeLegacyPath } from './legacy-paths.ts';
import { ghostAuthorPaths, ghostPostPaths, ghostTagPaths, wordpressAuthorPaths, wordpressNicename, wordpressPostPaths, wordpressTermPaths } from './legacy-paths-derive.ts';

const GREEK = 'επίπεδο-2';
const GREEK_ENCODED = '%ce%b5%cf%80%ce%af%cf%80%ce%b5%ce%b4%ce%bf-2';

describe('normalizeLegacyPath', () => {
  for (const [input, expected] of [
    ['/2019/04/01/harbour-bridge/', '/2019/04/01/harbour-bridge'],
    ['/2019/04/01/harbour-bridge', '/2019/04/01/harbour-bridge'],
    ['2019/04/01/harbour-bridge/', '/2019/04/01/harbour-bridge'],
    ['https://old.example.com/2019/04/01/harbour-bridge/', '/2019/04/01/harbour-bridge'],
    ['http://old.example.com:8080/2019/04/01/Harbour-Bridge/#comments', '/2019/04/01/harbour-bridge'],
    ['//old.example.com/about/', '/old.example.com/about'],
    ['/index.php/2019/04/harbour-bridge/', '/2019/04/harbour-bridge'],
    ['/index.php?p=12', '/?p=12'],
    ['/?p=12&utm_source=x&utm_medium=y', '/?p=12'],
    ['/?utm_source=x', '/'],
    ['/', '/'],
    ['', undefined],
    ['   ', undefined],
    ['mailto:editor@example.com', undefined],
    ['/?p=012', '/?p=12'],
    ['/?p=000', '/?p=0'],
    ['/?tag=007-news', '/?tag=007-news'],
    ['/?P=12', '/'],
    ['/?p=1&p=2', '/?p=2'],
    ['/?p=', '/'],
    ['/?tag=Harbour&cat=4&author=2', '/?author=2&cat=4&tag=harbour'],
    ['/?page_id=7&attachment_id=9', '/?attachment_id=9&page_id=7'],
    ['/?tag=a%26b', '/?tag=a%26b'],
    ['/?tag=a+b', '/?tag=a%20b'],
    [`https://wpthemetestdata.wordpress.com//greek/${GREEK_ENCODED}/`, `/greek/${GREEK}`],
    [`/greek/${GREEK_ENCODED.toUpperCase()}/`, `/greek/${GREEK}`],
    [`/greek/${GREEK}/`, `/greek/${GREEK}`],
    ['/%D0%9C%D0%BE%D1%81%D0%BA%D0%B2%D0%B0/', '/москва'],
    ['/caf\u0065\u0301/', '/caf\u00e9'],
    ['/a%2Fb/', '/a%2Fb'],
    ['/caf%E9/', '/caf%E9'],
    ['/caf%e9%C3%A9/', '/caf%E9é'],
    ['/%7Euser/', '/~user'],
    ['/a/../b/', '/b'],
    ['/100%25-sure/', '/100%25-sure'],
    ['/with%20space/', '/with space'],
    ['/100%-sure/', '/100%25-sure'],
    ['/ΟΔΟΣ/', '/οδος'],
  ] as const) {
    test(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
      assert.equal(normalizeLegacyPath(input), expected);
    });
  }

  test('is idempotent: a stored form normalises to itself', () => {
    for (const input of ['/2019/04/01/harbour-bridge/', `/greek/${GREEK_ENCODED}/`, '/?tag=a+b&p=3', '/a%2Fb/', '/caf%E9/', '/100%25-sure/']) {
      const once = normalizeLegacyPath(input)!;
      assert.equal(normalizeLegacyPath(once), once, input);
    }
  });
});

describe('isLiveAddress', () => {
  for (const path of ['/', '/articles/x', '/articles', '/pages/about', '/section/world', '/feed.xml', '/sitemap.xml', '/admin', '/admin/articles', '/api/v1/articles', '/search', '/media/a.jpg']) {
    test(`${path} is Broadsheet's own`, () => assert.equal(isLiveAddress(normalizeLegacyPath(path)!), true));
  }
  for (const path of ['/?p=1', '/category/news', '/2019/04/01/x', '/administrator', '/tags/x', '/about', '/tag/x', '/author/x']) {
    test(`${path} is not`, () => assert.equal(isLiveAddress(normalizeLegacyPath(path)!), false));
  }
});

describe('WordPress and Ghost addresses', () => {
  const post = { link: 'https://old.example.com/2019/04/01/harbour-bridge/', postId: '123', postType: 'post', postDate: '2019-04-01 23:30:00', postName: 'harbour-bridge' };

  test('a post: its link, ?p=ID, the dated presets from the local date, /archives/ID and /slug/', () => {
    assert.deepEqual(wordpressPostPaths(post), [
      'https://old.example.com/2019/04/01/harbour-bridge/',
      '/?p=123',
      '/2019/04/01/harbour-bridge/',
      '/2019/04/harbour-bridge/',
      '/archives/123',
      '/harbour-bridge/',
    ]);
  });

  test('a page: its link, ?page_id=ID and /slug/, no dated addresses', () => {
    assert.deepEqual(wordpressPostPaths({ ...post, link: 'https://old.example.com/about/team/', postType: 'page', postName: 'team' }), [
      'https://old.example.com/about/team/',
      '/?page_id=123',
      '/team/',
    ]);
  });

  test('a draft without slug, link or date keeps only ?p=ID and /archives/ID', () => {
    assert.deepEqual(wordpressPostPaths({ ...post, link: '', postName: '', postDate: '0000-00-00 00:00:00' }), ['/?p=123', '/archives/123']);
  });

  test('a percent-encoded slug normalises to its letters', () => {
    const paths = wordpressPostPaths({ ...post, postName: GREEK_ENCODED }).map(normalizeLegacyPath);
    assert.ok(paths.includes(`/2019/04/01/${GREEK}`));
    assert.ok(paths.includes(`/${GREEK}`));
  });

  test('categories and tags', () => {
    assert.deepEqual(wordpressTermPaths({ taxonomy: 'category', id: '4', slug: 'news', parent: '' }), ['/category/news/', '/?cat=4']);
    const terms = new Map([['world', { slug: 'world', parent: '' }], ['europe', { slug: 'europe', parent: 'world' }]]);
    assert.deepEqual(wordpressTermPaths({ taxonomy: 'category', id: '9', slug: 'france', parent: 'europe' }, terms), ['/category/france/', '/category/world/europe/france/', '/?cat=9']);
    const loop = new Map([['a', { slug: 'a', parent: 'b' }], ['b', { slug: 'b', parent: 'a' }]]);
    assert.deepEqual(wordpressTermPaths({ taxonomy: 'category', id: '', slug: 'a', parent: 'b' }, loop), ['/category/a/', '/category/b/a/']);
    assert.deepEqual(wordpressTermPaths({ taxonomy: 'post_tag', id: '5', slug: 'harbour', parent: '' }), ['/tag/harbour/', '/?tag=harbour']);
    assert.deepEqual(wordpressTermPaths({ taxonomy: 'nav_menu', id: '6', slug: 'main', parent: '' }), []);
  });

  test('authors: the nicename WordPress derives from the login, and ?author=ID', () => {
    assert.equal(wordpressNicename('Jane.Doe'), 'jane-doe');
    assert.equal(wordpressNicename('jane@example.com'), 'janeexample-com');
    assert.equal(wordpressNicename('Zoë Smith'), 'zoë-smith');
    assert.deepEqual(wordpressAuthorPaths({ id: '2', login: 'admin' }), ['/author/admin/', '/?author=2']);
    assert.deepEqual(wordpressAuthorPaths({ login: 'admin' }), ['/author/admin/']);
  });

  test('Ghost posts, tags and authors', () => {
    assert.deepEqual(ghostPostPaths({ slug: 'harbour-bridge' }), ['/harbour-bridge/']);
    assert.deepEqual(ghostPostPaths({ slug: 'harbour-bridge', url: 'https://blog.example.com/harbour-bridge/' }), ['https://blog.example.com/harbour-bridge/', '/harbour-bridge/']);
    assert.deepEqual(ghostTagPaths({ slug: 'harbour' }), ['/tag/harbour/']);
    assert.deepEqual(ghostAuthorPaths({ slug: 'jane' }), ['/author/jane/']);
    assert.deepEqual(ghostTagPaths({ slug: ' ' }), []);
  });
});
