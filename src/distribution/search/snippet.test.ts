import assert from 'node:assert/strict';
import { test } from 'node:test';
import { highlight, snippet, type TextPart } from './snippet.ts';

/** Parts as text with [marked] words. */
const show = (parts: TextPart[]): string => parts.map((p) => (p.match ? `[${p.text}]` : p.text)).join('');

test('highlight marks whole words whose folded form was searched, keeping the text as written', () => {
  const terms = new Set(['cafe', 'vote']);
  const table: [string, string][] = [
    ['Café votes: the vote on the CAFÉ', '[Café] votes: the [vote] on the [CAFÉ]'],
    ['<script>vote</script>', '<script>[vote]</script>'],
    ['no match here', 'no match here'],
    ['', ''],
  ];
  for (const [text, expected] of table) assert.equal(show(highlight(text, terms)), expected, text);
});

test('an excerpt is cut around where most searched words meet, with ellipses', () => {
  const words = Array.from({ length: 100 }, (_, i) => `w${i}`);
  words[10] = 'alpha';
  words[60] = 'alpha';
  words[63] = 'beta';
  const excerpt = show(snippet(words.join(' '), new Set(['alpha', 'beta']), 10));
  assert.equal(excerpt, '… w57 w58 w59 [alpha] w61 w62 [beta] w64 w65 w66 …');
  assert.equal(show(snippet('short text with alpha', new Set(['alpha']), 10)), 'short text with [alpha]');
  assert.equal(show(snippet('one two three four five', new Set(['zzz']), 3)), 'one two three …');
  assert.equal(show(snippet(words.join(' '), new Set(['w99']), 4)), '… w96 w97 w98 [w99]');
  assert.deepEqual(snippet('', new Set(['a'])), []);
});
