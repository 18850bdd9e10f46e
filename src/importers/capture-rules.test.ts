import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { headlineFromTitle, isBoilerplate, isCreditLine, splitBodyAndCredits } from './capture-rules.ts';

describe('capture rules', () => {
  for (const [line, expected] of [
    ['Add a Comment', true],
    ['Your email address will not be published. Required fields are marked *', true],
    ['Share this article', true],
    ['Subscribe to our newsletter', true],
    ['Advertisement', true],
    ['12 Comments', true],
    ['Share prices fell sharply on Monday.', false],
    ['Subscribers complained about the delays.', false],
    ['Comments from the minister drew criticism.', false],
  ] as const) {
    test(`boilerplate? ${JSON.stringify(line)} → ${expected}`, () => assert.equal(isBoilerplate(line), expected));
  }

  for (const [line, expected] of [
    ['Olivia Wang contributed research.', true],
    ['Jane Doe and John Roe contributed reporting from Kyiv.', true],
    ['Additional reporting by Jane Doe.', true],
    ['Reporting was contributed by Jane Doe in Paris.', true],
    ['The ministry contributed little to the debate.', false],
    ['He contributed research funds to the university', false],
  ] as const) {
    test(`credit? ${JSON.stringify(line)} → ${expected}`, () => assert.equal(isCreditLine(line), expected));
  }

  test('credits are taken only from the end of the body', () => {
    const { body, credits } = splitBodyAndCredits(['Jane Doe contributed reporting.', 'Body text.', 'A. B. contributed research.', 'Add a Comment']);
    assert.deepEqual(body, ['Jane Doe contributed reporting.', 'Body text.']);
    assert.deepEqual(credits, ['A. B. contributed research.']);
  });

  for (const [title, opts, expected] of [
    ['Rates held - The World News', { siteName: 'The World News' }, 'Rates held'],
    ['Rates held | the world news', { siteName: 'The World News' }, 'Rates held'],
    ['Left - right - Site', { headlineHint: 'Left - right' }, 'Left - right'],
    ['Left - right', {}, 'Left - right'],
    ['Headline – Other Site', { siteName: 'The World News' }, 'Headline – Other Site'],
  ] as const) {
    test(`headline of ${JSON.stringify(title)} is ${JSON.stringify(expected)}`, () => assert.equal(headlineFromTitle(title, opts), expected));
  }
});
