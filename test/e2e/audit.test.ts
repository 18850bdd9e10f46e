/**
 * `npm run audit` as a test: Lighthouse 12.2.3 (mobile preset) in Debian's Chromium on the demo front page and the
 * seed article with 50 comments, every category at least MIN_SCORE, and the reports are of our pages.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { auditSite, belowMinimum, CATEGORIES, formatAudits, MIN_SCORE, startAuditSite, type AuditSite, type PageAudit } from '../../scripts/audit.ts';
import { SEED_HEADLINE } from '../support/seed.ts';

describe('the audit verdict', () => {
  const audit = (scores: number[]): PageAudit => ({ name: 'page', url: '', finalUrl: '', title: '', scores: Object.fromEntries(CATEGORIES.map((c, i) => [c, scores[i]])) as PageAudit['scores'], failing: [] });
  test(`a score under ${MIN_SCORE} in any category fails, ${MIN_SCORE} passes`, () => {
    assert.deepEqual(belowMinimum([audit([100, MIN_SCORE, 100, 100])]), []);
    assert.deepEqual(belowMinimum([audit([100, 100, MIN_SCORE - 1, 100]), audit([MIN_SCORE - 1, 100, 100, 0])]), ['page: best-practices 94', 'page: performance 94', 'page: seo 0']);
  });
});

describe('Lighthouse audit of the reader pages (npm run audit)', () => {
  let site: AuditSite;
  let audits: PageAudit[];
  before(async () => {
    site = await startAuditSite();
    audits = await auditSite(site);
  });
  after(() => site?.close());

  test('reports came from our front page and article page', () => {
    assert.deepEqual(
      audits.map((a) => a.finalUrl),
      site.pages.map((p) => site.origin + p.path),
    );
    const [front, article] = audits;
    assert.equal(front!.title, 'The World News');
    assert.equal(article!.title, `${SEED_HEADLINE} - The World News`);
  });

  test('Lighthouse finds the text compressed, long-cached assets and nothing render-blocking', () => {
    for (const audit of audits) {
      const found = audit.failing.map((f) => f.id).filter((id) => ['uses-text-compression', 'uses-long-cache-ttl', 'render-blocking-resources'].includes(id));
      assert.deepEqual(found, [], audit.name);
    }
  });

  test(`every category scores at least ${MIN_SCORE} on both pages`, (t) => {
    for (const line of formatAudits(audits).split('\n')) t.diagnostic(line);
    for (const audit of audits) for (const category of CATEGORIES) assert.ok(Number.isInteger(audit.scores[category]) && audit.scores[category] <= 100, `${audit.name} ${category}`);
    assert.deepEqual(belowMinimum(audits), []);
  });
});
