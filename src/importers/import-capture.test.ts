import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { systemClock } from '../lib/clock.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { OpenDatabase } from '../db/database.ts';
import { DIALECTS, POSTGRES_KIND, openTestDatabase } from '../../test/support/databases.ts';
import { SEED_CREDIT, SEED_HEADLINE, SEED_PARAGRAPHS, SEED_PATH, SEED_SLUG } from '../../test/support/seed.ts';
import { parsePage } from '../../test/support/http.ts';
import { importCaptureFile, ImportError } from './import-capture.ts';

const HTML_FIXTURE = new URL('../../test/fixtures/capture/harbour-audit.html', import.meta.url).pathname;

for (const dialect of DIALECTS) {
  describe(`capture import [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let database: OpenDatabase;
    const dir = mkdtempSync(join(tmpdir(), 'broadsheet-import-'));
    const deps = () => ({ db: database.db, clock: systemClock });

    before(async () => {
      database = await openTestDatabase(dialect);
      await migrateToLatest(database.db);
    });
    after(() => database.close());

    test('the seed becomes one published article with 22 paragraphs and its credit; a second import updates it', async () => {
      const first = await importCaptureFile(deps(), SEED_PATH, { siteName: 'The World News' });
      assert.equal(first.action, 'created');
      assert.equal(first.slug, SEED_SLUG);
      const second = await importCaptureFile(deps(), SEED_PATH, { siteName: 'The World News' });
      assert.equal(second.action, 'updated');
      assert.equal(second.id, first.id);

      const rows = await database.db.selectFrom('articles').select(['id', 'headline', 'body_html', 'status', 'published_at']).execute();
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.headline, SEED_HEADLINE);
      assert.equal(rows[0]!.status, 'published');
      assert.ok(rows[0]!.published_at);
      const paragraphs = [...parsePage(`<body>${rows[0]!.body_html}</body>`).querySelectorAll('body > p')].map((p) => p.textContent);
      assert.deepEqual(paragraphs, SEED_PARAGRAPHS);
      const credits = await database.db.selectFrom('credits').select(['text', 'position']).where('article_id', '=', first.id).execute();
      assert.deepEqual(credits, [{ text: SEED_CREDIT, position: 0 }]);
    });

    test('an HTML capture brings its authors in byline order, section and tags', async () => {
      const result = await importCaptureFile(deps(), HTML_FIXTURE);
      assert.equal(result.format, 'html');
      const authors = await database.db
        .selectFrom('article_authors')
        .innerJoin('authors', 'authors.id', 'article_authors.author_id')
        .select(['authors.name', 'article_authors.position'])
        .where('article_id', '=', result.id)
        .orderBy('position')
        .execute();
      assert.deepEqual(authors.map((a) => a.name), ['Ines Barrowcliffe', 'Kwabena Ashby']);
      const article = await database.db.selectFrom('articles').innerJoin('sections', 'sections.id', 'articles.section_id').select(['sections.name', 'articles.published_at']).where('articles.id', '=', result.id).executeTakeFirstOrThrow();
      assert.equal(article.name, 'Politics');
      assert.equal(article.published_at, '2026-10-02T05:30:00.000Z');
    });

    for (const [name, content, reason] of [
      ['empty.txt', '', /empty/],
      ['binary.txt', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff, 0xfe]), /not UTF-8|binary/],
      ['title-only.txt', 'A headline - The World News\n', /no article body/],
      ['blank.html', '<!doctype html><html><body><nav>Menu</nav></body></html>', /no (article|headline)/],
      ['nav-only.html', '<!doctype html><html><head><title>Nothing here</title></head><body><nav><a href="/">Home</a></nav></body></html>', /no article text/],
      ['credit-only.txt', 'Headline - The World News\n\nHeadline\n\nJane Doe contributed research.\n', /no article body/],
    ] as const) {
      test(`a bad file (${name}) is refused with its name and reason, and nothing is stored`, async () => {
        const before = await database.db.selectFrom('articles').select('id').execute();
        const file = join(dir, name);
        writeFileSync(file, content);
        await assert.rejects(importCaptureFile(deps(), file), (error: unknown) => error instanceof ImportError && error.file === file && reason.test(error.reason) && error.message.includes(file));
        const afterRows = await database.db.selectFrom('articles').select('id').execute();
        assert.equal(afterRows.length, before.length);
      });
    }

    test('two different articles under one headline stay two articles; re-importing each updates only it', async () => {
      const monday = join(dir, 'letters-mon.txt');
      const tuesday = join(dir, 'letters-tue.txt');
      writeFileSync(monday, 'Letters to the Editor - The World News\n\nLetters to the Editor\n\nMonday: the tram vote was rushed.\n');
      writeFileSync(tuesday, 'Letters to the Editor - The World News\n\nLetters to the Editor\n\nTuesday: the library festival was a joy.\n');
      const a = await importCaptureFile(deps(), monday, { siteName: 'The World News' });
      const b = await importCaptureFile(deps(), tuesday, { siteName: 'The World News' });
      assert.equal(a.action, 'created');
      assert.equal(b.action, 'created');
      assert.notEqual(a.id, b.id);
      assert.notEqual(a.slug, b.slug);
      assert.equal((await importCaptureFile(deps(), monday, { siteName: 'The World News' })).id, a.id);
      const mondayBody = await database.db.selectFrom('articles').select('body_html').where('id', '=', a.id).executeTakeFirstOrThrow();
      assert.match(mondayBody.body_html, /Monday/);
    });

    test('a UTF-16 capture with a byte-order mark is read; an oversized file is refused before reading', async () => {
      const utf16 = join(dir, 'utf16.txt');
      writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Café reopens - The World News\n\nCafé reopens\n\nThe café on the square reopened.\n', 'utf16le')]));
      const result = await importCaptureFile(deps(), utf16, { siteName: 'The World News' });
      assert.equal(result.headline, 'Café reopens');
      const huge = join(dir, 'huge.txt');
      writeFileSync(huge, `Huge - Site\n\n${'x'.repeat(6 * 1024 * 1024)}\n`);
      await assert.rejects(importCaptureFile(deps(), huge), /huge\.txt: the file is 6\.0 MB; captures are limited to 5 MB/);
    });

    test('a missing file is refused as not found', async () => {
      await assert.rejects(importCaptureFile(deps(), join(dir, 'nope.txt')), /nope\.txt: file not found/);
    });
  });
}
