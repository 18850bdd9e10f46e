import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderPostBody, stripBlockComments } from './autop.ts';

const squash = (html: string): string => html.replace(/\n/g, '');
const cases: [string, string, string][] = [
  ['double newline makes paragraphs', 'One\n\nTwo', '<p>One</p><p>Two</p>'],
  ['single newline is a line break', 'One\nTwo', '<p>One<br />Two</p>'],
  ['text around a block is wrapped, the block is not', 'Lead\n<ul><li>a</li></ul>\nTail', '<p>Lead</p><ul><li>a</li></ul><p>Tail</p>'],
  ['CRLF counts as a newline', 'One\r\n\r\nTwo', '<p>One</p><p>Two</p>'],
];
for (const [name, input, expected] of cases) test(`wpautop: ${name}`, () => assert.equal(squash(renderPostBody(input)), expected));

test('pre keeps its blank lines', () => {
  const html = renderPostBody('A\n\n<pre>x\n\ny</pre>');
  assert.match(html, /<pre>x\n\ny<\/pre>/);
  assert.match(html, /^<p>A<\/p>/);
});

test('block-editor content keeps its own paragraphs and loses the delimiters', () => {
  const html = renderPostBody('<!-- wp:paragraph {"a":1} -->\n<p>Hi\nthere</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:separator -->\n<hr/>\n<!-- /wp:separator -->');
  assert.equal(squash(html), '<p>Hithere</p><hr/>');
  assert.equal(squash(renderPostBody('<!-- wp:paragraph -->Loose text<!-- /wp:paragraph -->')), '<p>Loose text</p>');
  assert.doesNotMatch(html, /<br/);
});

test('block comments are removed, other comments kept', () => {
  assert.equal(stripBlockComments('<!-- wp:paragraph {"a":1} -->\n<p>Hi</p>\n<!-- /wp:paragraph -->').trim(), '<p>Hi</p>');
  assert.equal(stripBlockComments('<!-- a reader comment -->'), '<!-- a reader comment -->');
});
