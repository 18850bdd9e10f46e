import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parsePage } from '../../test/support/http.ts';
import { SEED_CREDIT, SEED_HEADLINE, SEED_PARAGRAPHS, SEED_TEXT } from '../../test/support/seed.ts';
import { CaptureError } from './capture.ts';
import { parseTextCapture } from './capture-text.ts';

function paragraphsOf(html: string): string[] {
  return [...parsePage(`<body>${html}</body>`).querySelectorAll('body > *')].map((el) => `${el.tagName}:${el.textContent}`);
}

describe('text capture parser', () => {
  test('the seed: headline without site name, 22 exact paragraphs, the credit, no boilerplate', () => {
    assert.equal(SEED_PARAGRAPHS.length, 22);
    const article = parseTextCapture(SEED_TEXT, { siteName: 'The World News' });
    assert.equal(article.headline, SEED_HEADLINE);
    assert.deepEqual(paragraphsOf(article.bodyHtml), SEED_PARAGRAPHS.map((p) => `P:${p}`));
    assert.deepEqual(article.credits, [SEED_CREDIT]);
    assert.doesNotMatch(article.bodyHtml, /Add a Comment|will not be published|contributed research/);
  });

  test('the site-name suffix is recognised from the repeated headline even when the site name is not given', () => {
    assert.equal(parseTextCapture(SEED_TEXT).headline, SEED_HEADLINE);
  });

  test('a title without a site name and no repeated headline keeps the whole title and all paragraphs', () => {
    const article = parseTextCapture('Council - budget vote delayed\n\nThe vote moved to Friday.\n\nShare prices fell.\n');
    assert.equal(article.headline, 'Council - budget vote delayed');
    assert.deepEqual(paragraphsOf(article.bodyHtml), ['P:The vote moved to Friday.', 'P:Share prices fell.']);
  });

  test('CRLF line endings, a BOM and wrapped lines are handled', () => {
    const article = parseTextCapture('\uFEFFHeadline - Site\r\n\r\nHeadline\r\n\r\nFirst line\r\nof a paragraph.\r\n\r\nShare this article\r\n');
    assert.equal(article.headline, 'Headline');
    assert.deepEqual(paragraphsOf(article.bodyHtml), ['P:First line of a paragraph.']);
  });

  test('markup in a text capture is text, not HTML', () => {
    const article = parseTextCapture('Title\n\n<script>alert(1)</script> & <b>bold</b>\n');
    assert.doesNotMatch(article.bodyHtml, /<script|<b>/);
    assert.match(article.bodyHtml, /&lt;script>alert\(1\)&lt;\/script> &amp; /);
  });

  for (const [name, text, reason] of [
    ['empty', '', /empty/],
    ['only blank lines', '\n\n  \n', /empty/],
    ['headline only', 'Just a title - Site\n', /no article body/],
    ['binary', 'PK\u0003\u0004\u0000\u0000', /binary/],
    ['only boilerplate after the headline', 'Title - Site\n\nTitle\n\nAdd a Comment\n\nYour email address will not be published. Required fields are marked *', /no article body/],
  ] as const) {
    test(`refuses a capture that is ${name}`, () => {
      assert.throws(() => parseTextCapture(text), (error: unknown) => error instanceof CaptureError && reason.test(error.reason));
    });
  }
});
