import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parsePage } from '../../test/support/http.ts';
import { CaptureError } from './capture.ts';
import { parseHtmlCapture } from './capture-html.ts';

const FIXTURE = readFileSync(new URL('../../test/fixtures/capture/harbour-audit.html', import.meta.url), 'utf8');

describe('HTML capture parser', () => {
  const article = parseHtmlCapture(FIXTURE);
  const body = parsePage(`<body>${article.bodyHtml}</body>`);

  test('takes the headline from the h1, not the site-suffixed title', () => {
    assert.equal(article.headline, 'Harbour contracts face an independent audit');
  });

  test('keeps exactly the five article paragraphs, in order', () => {
    const paragraphs = [...body.querySelectorAll('p')].map((p) => p.textContent ?? '');
    assert.equal(paragraphs.length, 5);
    assert.match(paragraphs[0]!, /^SÃO BRENEDO — The mayor/);
    assert.match(paragraphs[4]!, /^The audit is expected to take six months/);
  });

  test('moves the trailing credit line out of the body', () => {
    assert.deepEqual(article.credits, ['Jonah Abernathy contributed reporting.']);
    assert.doesNotMatch(article.bodyHtml, /contributed reporting/);
  });

  test('drops site furniture, scripts and event handlers', () => {
    for (const junk of [/Advertisement/, /Share on Facebook/, /Leave a Reply/, /will not be published/, /All rights reserved/, /injected/, /tracker/]) {
      assert.doesNotMatch(article.bodyHtml, junk);
    }
    assert.equal(body.querySelectorAll('script, style, [onclick], [onerror], img[src*="ads."]').length, 0);
    assert.equal(body.querySelector('a')?.getAttribute('href'), 'https://example.com/report');
  });

  test('reads dek, publication time (UTC), section, tags and byline from the page metadata', () => {
    assert.equal(article.dek, 'The mayor of São Brenedo wants outside accountants to review a decade of dredging deals.');
    assert.equal(article.publishedAt, '2026-10-02T05:30:00.000Z');
    assert.equal(article.section, 'Politics');
    assert.deepEqual(article.tags, ['Harbours', 'Local government']);
    assert.deepEqual(article.authors, ['Ines Barrowcliffe', 'Kwabena Ashby']);
  });

  test('refuses a page without article text', () => {
    assert.throws(() => parseHtmlCapture('<!doctype html><html><head><title>x</title></head><body></body></html>'), CaptureError);
  });
});
