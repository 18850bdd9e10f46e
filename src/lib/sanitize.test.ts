import assert from 'node:assert/strict';
import { test } from 'node:test';
import { htmlToText, ledeOf, sanitizeArticleHtml } from './sanitize.ts';

test('a paragraph holding only a linked image is kept (the image is content)', () => {
  const html = '<p><a href="https://pics.example/a.jpg"><img src="https://pics.example/a.jpg" alt="A harbour"></a></p>';
  assert.equal(sanitizeArticleHtml(html), '<p><a href="https://pics.example/a.jpg"><img src="https://pics.example/a.jpg" alt="A harbour" /></a></p>');
});

test('paragraphs left empty by unwrapped layout markup, spaces or no-break spaces are dropped', () => {
  assert.equal(sanitizeArticleHtml('<p>&nbsp;</p><div><p> <br> </p></div><p>Text</p><p><span></span></p>'), '<p>Text</p>');
});

test('an image with a relative address is dropped, its paragraph with it', () => {
  assert.equal(sanitizeArticleHtml('<p><img src="wp-content/a.jpg"></p><p>Kept</p>'), '<p>Kept</p>');
});

test('htmlToText: what an HTML title shows, as text', () => {
  assert.equal(htmlToText('Markup: Title <em>With</em> <b>Mark<sup>up</sup></b>'), 'Markup: Title With Markup');
  assert.equal(htmlToText('Q&amp;A:  &quot;tides&quot;\n&#8217;s'), 'Q&A: "tides" \u2019s');
  assert.equal(htmlToText('<script>alert(1)</script>Plain'), 'Plain');
});

test('h1 becomes h2 and h5/h6 become h4, so imported headings are not flattened into text', () => {
  assert.equal(sanitizeArticleHtml('<h1>One</h1><h5>Five</h5><h6>Six</h6>'), '<h2>One</h2><h4>Five</h4><h4>Six</h4>');
});

test('ledeOf: the first paragraph as text, the same when asked again (it is kept) and for each body', () => {
  const bodies: [string, string][] = [
    ['<h2>Head</h2><blockquote><p>Quoted &amp; <em>first</em></p></blockquote><p>Second</p>', 'Quoted & first'],
    ['<p>  Line\n  broken <a href="https://x.example/">link</a>  </p><p>Next</p>', 'Line broken link'],
    ['<pre>code</pre><p>After &#8217;pre&#8217;</p>', 'After \u2019pre\u2019'],
    ['<h2>No paragraph</h2>', ''],
    ['', ''],
  ];
  for (let round = 0; round < 2; round++) for (const [html, lede] of bodies) assert.equal(ledeOf(html), lede, html);
});
