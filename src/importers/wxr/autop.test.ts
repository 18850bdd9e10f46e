import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autop, stripBlockComments } from './autop.ts';

const cases: [string, string, string][] = [
  ['double newline makes paragraphs', 'One\n\nTwo', '<p>One</p>\n<p>Two</p>'],
  ['single newline is a line break', 'One\nTwo', '<p>One<br>\nTwo</p>'],
  ['existing paragraphs are left alone', '<p>One</p>\n\n<p>Two</p>', '<p>\nOne\n</p>\n<p>\nTwo\n</p>'],
  ['text around a block is wrapped, the block is not', 'Lead\n<ul><li>a</li></ul>\nTail', '<p>Lead</p>\n<ul>\n<li>\na\n</li>\n</ul>\n<p>Tail</p>'],
  ['pre keeps its newlines', 'A\n\n<pre>x\n\ny</pre>', '<p>A</p>\n<pre>x\n\ny</pre>'],
  ['CRLF counts as a newline', 'One\r\n\r\nTwo', '<p>One</p>\n<p>Two</p>'],
];
for (const [name, input, expected] of cases) test(`autop: ${name}`, () => assert.equal(autop(input), expected));

test('block comments are removed, their HTML kept', () => {
  assert.equal(stripBlockComments('<!-- wp:paragraph {"a":1} -->\n<p>Hi</p>\n<!-- /wp:paragraph -->').trim(), '<p>Hi</p>');
  assert.equal(stripBlockComments('<!-- a reader comment -->'), '<!-- a reader comment -->');
});
