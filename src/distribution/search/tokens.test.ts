import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_QUERY_TERMS, MAX_TERM_LENGTH, clipQuery, foldWord, queryTerms, termsOf } from './tokens.ts';
import { htmlText, searchDocument } from './document.ts';

test('words fold to one form: case, accents, compatibility forms, final sigma', () => {
  const table: [string, string][] = [
    ['Harbour', 'harbour'],
    ['CAFÉ', 'cafe'],
    ['Café', 'cafe'],
    ['naïve', 'naive'],
    ['Ærø', 'ærø'],
    ['ﬁnance', 'finance'],
    ['𝐁𝐨𝐥𝐝', 'bold'],
    ['İstanbul', 'istanbul'],
    ['ΣΟΦΟΣ', 'σοφοσ'],
    ['Москва', 'москва'],
    ['Йошкар', 'иошкар'],
    ['हिन्दी', 'हिन्दी'],
    ['東京', '東京'],
    ['２０２６', '2026'],
    ['x'.repeat(100), 'x'.repeat(MAX_TERM_LENGTH)],
    ['ABC'.repeat(30), 'abc'.repeat(30).slice(0, MAX_TERM_LENGTH)],
    ['Covid19', 'covid19'],
  ];
  for (const [raw, folded] of table) assert.equal(foldWord(raw), folded, raw);
});

test('queries are plain words: search syntax is never passed on', () => {
  const table: [string, string[]][] = [
    ['', []],
    ['   ', []],
    ['"harbour bridge"', ['harbour', 'bridge']],
    ['harbour AND bridge OR NOT tunnel', ['harbour', 'and', 'bridge', 'or', 'not', 'tunnel']],
    ['NEAR(a b, 3)', ['near', 'a', 'b', '3']],
    ['head* ^first col:value -minus +plus', ['head', 'first', 'col', 'value', 'minus', 'plus']],
    ["'; DROP TABLE articles; --", ['drop', 'table', 'articles']],
    ["x' & !y | z:* <-> (w)", ['x', 'y', 'z', 'w']],
    ['Xi’s visit, Xi’s', ['xi', 's', 'visit']],
    ['COVID-19 3.5%', ['covid', '19', '3', '5']],
    ['\u0000\ud800 \u202e', []],
    ['🐟🎉 <script>', ['script']],
  ];
  for (const [query, terms] of table) assert.deepEqual(queryTerms(query), terms, query);
  assert.equal(clipQuery(`${'x '.repeat(498)}tunnel`), `${'x '.repeat(498)}`.slice(0, 996));
  assert.equal(queryTerms(Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ')).length, MAX_QUERY_TERMS);
  assert.deepEqual(queryTerms('a '.repeat(10_000)), ['a']);
  assert.deepEqual(queryTerms(`${'x '.repeat(498)}tunnel`), ['x']);
  assert.deepEqual(queryTerms(`${'x '.repeat(497)}tunnel`), ['x', 'tunnel']);
});

test('article HTML becomes the text readers see; the document holds each field’s distinct terms', () => {
  assert.equal(htmlText('<p>One&nbsp;two</p><p>three<br>four &amp; <em>fi</em>ve</p><ul><li>six</li><li>seven</li></ul>'), 'One\u00a0two three four & five six seven'.replace('\u00a0', ' '));
  // Elements closed by implication (an unclosed <li>, <td> or <p>) still end their words; a stray </p> is an empty paragraph.
  assert.equal(htmlText('<ul><li>six<li>seven</ul>eight<table><tr><td>nine<td>ten</table>eleven<p>twelve<h2>thirteen</h2>fourteen</p>fifteen'), 'six seven eight nine ten eleven twelve thirteen fourteen fifteen');
  assert.deepEqual(termsOf('The cat and the hat'), ['the', 'cat', 'and', 'hat']);
  assert.deepEqual(searchDocument({ headline: 'Budget vote', dek: 'A vote', bodyHtml: '<p>Vote <b>today</b></p>', tags: ['Budget 2027', 'Council'] }), {
    headline: ['budget', 'vote'],
    dek: ['a', 'vote'],
    tags: ['budget', '2027', 'council'],
    body: ['vote', 'today'],
  });
});
