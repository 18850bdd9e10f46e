import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cleanText } from './clean-text.ts';

test('cleanText keeps every script, emoji, tabs and newlines, and drops controls and noncharacters', () => {
  const cases: [string, string][] = [
    ['Jürgen 李小龍 Андрій 👩🏽‍🔬', 'Jürgen 李小龍 Андрій 👩🏽‍🔬'],
    ['a\tb\nc\r\nd', 'a\tb\nc\r\nd'],
    ['a\u0000b\u0008c\u000bd\u001be\u007ff\u0085g', 'abcdefg'],
    ['x\ufffey\uffffz\ufdd0', 'xyz'],
    ['plane 1 nonchar \u{1FFFE}!', 'plane 1 nonchar !'],
    ['lone \ud800 surrogate', 'lone \ufffd surrogate'],
  ];
  for (const [input, expected] of cases) assert.equal(cleanText(input), expected, JSON.stringify(input));
});

test('article HTML: images keep or gain alt text; images without an absolute or media address are dropped', async () => {
  const { sanitizeArticleHtml } = await import('./sanitize.ts');
  const cases: [string, string][] = [
    ['<p><img src="x"></p><p>text</p>', '<p>text</p>'],
    ['<img src="https://a.example/i.jpg">', '<img src="https://a.example/i.jpg" alt="" />'],
    ['<img src="/media/ab.jpg" alt="A boat">', '<img src="/media/ab.jpg" alt="A boat" />'],
    ['<img src="javascript:alert(1)">', ''],
    ['<img src="//evil.example/x.png">', ''],
    ['<p>Body\u0000 text\uffff</p>', '<p>Body text</p>'],
  ];
  for (const [input, expected] of cases) assert.equal(sanitizeArticleHtml(input), expected, input);
});
