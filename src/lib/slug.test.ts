import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { slugFor } from './slug.ts';

describe('slugs', () => {
  for (const [text, ascii, unicode] of [
    ['Xi’s Warm Embrace of Putin', 'xis-warm-embrace-of-putin', 'xi-s-warm-embrace-of-putin'],
    ['São Brenedo mayor orders audit', 'sao-brenedo-mayor-orders-audit', 'são-brenedo-mayor-orders-audit'],
    ['Москва принимает саммит', 'moskva-prinimaet-sammit', 'москва-принимает-саммит'],
    ['Ölpreis steigt', 'oelpreis-steigt', 'ölpreis-steigt'],
  ] as const) {
    test(`${text} → ${ascii} / ${unicode}`, () => {
      assert.equal(slugFor(text), ascii);
      assert.equal(slugFor(text, 'article', { unicode: true }), unicode);
    });
  }

  test('Korean keeps its letters in Unicode mode and still gets a non-empty ASCII slug', () => {
    assert.equal(slugFor('서울 시장 선거', 'article', { unicode: true }), '서울-시장-선거');
    assert.match(slugFor('서울 시장 선거'), /^[a-z0-9-]+$/);
    assert.ok(slugFor('서울 시장 선거').length > 0);
  });

  test('emoji-only headlines get a stable, non-empty slug that differs between texts', () => {
    const a = slugFor('🎉🎉🎉');
    assert.match(a, /^article-[0-9a-f]{8}$/);
    assert.equal(slugFor('🎉🎉🎉'), a);
    assert.equal(slugFor('🎉🎉🎉', 'article', { unicode: true }), a);
    assert.notEqual(slugFor('🚀'), a);
  });

  test('long headlines are cut at a word boundary', () => {
    const slug = slugFor('word '.repeat(40));
    assert.ok(slug.length <= 80 && !slug.endsWith('-'));
  });
});
