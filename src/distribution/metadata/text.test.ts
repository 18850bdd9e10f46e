import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serializeJsonLd } from './json-ld.ts';
import { absoluteUrl, describeText, isoUtc, openGraphLocale } from './text.ts';

test('absoluteUrl: root-relative paths join the origin, absolute URLs pass', () => {
  const site = { url: 'https://news.example.com' };
  const cases: [string, string][] = [
    ['/', 'https://news.example.com/'],
    ['/articles/a-b', 'https://news.example.com/articles/a-b'],
    ['/articles/%D0%BC%D0%BE', 'https://news.example.com/articles/%D0%BC%D0%BE'],
    ['/media/2026/11/x-1200.jpg', 'https://news.example.com/media/2026/11/x-1200.jpg'],
    ['https://cdn.example.net/x.jpg', 'https://cdn.example.net/x.jpg'],
  ];
  for (const [path, expected] of cases) assert.equal(absoluteUrl(site, path), expected, path);
});

test('describeText: collapses whitespace, cuts at a word boundary with an ellipsis', () => {
  const cases: [string, number, string][] = [
    ['  Short   text.\n', 200, 'Short text.'],
    ['exactly ten', 11, 'exactly ten'],
    ['one two three four five', 12, 'one two…'],
    ['one two, three four', 10, 'one two…'],
    ['Unbrokenwordthatislong', 10, 'Unbrokenw…'],
    ['Ёжик в тумане идёт домой', 14, 'Ёжик в тумане…'],
    ['😀😀😀😀😀 tail', 6, '😀😀😀😀😀…'],
  ];
  for (const [text, max, expected] of cases) {
    const out = describeText(text, max);
    assert.equal(out, expected, text);
    assert.ok([...out].length <= max, `${text}: within ${max}`);
  }
});

test('openGraphLocale: BCP 47 tag to language_TERRITORY', () => {
  const cases: [string, string][] = [
    ['en', 'en_US'],
    ['en-GB', 'en_GB'],
    ['ru', 'ru_RU'],
    ['pt-BR', 'pt_BR'],
    ['de-CH', 'de_CH'],
    ['zh-Hant', 'zh_TW'],
    ['xx', 'xx'],
  ];
  for (const [tag, expected] of cases) assert.equal(openGraphLocale(tag), expected, tag);
});

test('isoUtc: any ISO time becomes UTC with Z', () => {
  assert.equal(isoUtc('2026-11-29T10:00:00Z'), '2026-11-29T10:00:00.000Z');
  assert.equal(isoUtc('2026-11-29T12:00:00+02:00'), '2026-11-29T10:00:00.000Z');
});

test('serializeJsonLd: nothing can end the script element or open a comment, and it parses back unchanged', () => {
  const nasty = ['</script><script>alert(1)</script>', '<!-- <script>', 'a & b > c', 'line\u2028sep\u2029para', '</SCRIPT >', '"quoted" \\ back'];
  for (const headline of nasty) {
    const data = { '@context': 'https://schema.org', '@type': 'NewsArticle', headline } as const;
    const json = serializeJsonLd(data);
    assert.doesNotMatch(json, /[<>&\u2028\u2029]/, headline);
    assert.deepEqual(JSON.parse(json), data, headline);
  }
});
