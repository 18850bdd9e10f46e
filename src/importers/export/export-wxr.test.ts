import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { migrateToLatest } from '../../db/migrate.ts';
import type { OpenDatabase } from '../../db/database.ts';
import { DIALECTS, POSTGRES_KIND, openTestDatabase } from '../../../test/support/databases.ts';
import { TestClock } from '../../../test/support/clock.ts';
import { COMMENT_WITH_CDATA_END, DEK_WITH_CDATA_END, NAME_WITH_CDATA_END, NOW, THREAD, seedExportSite, sitePicture } from '../../../test/support/export-seed.ts';
import { importWxrFile, type WxrReport } from '../wxr/import-wxr.ts';
import { exportWxr } from './export-wxr.ts';
import { writeExport } from './output.ts';

const SITE = { name: 'The World News & Co', url: 'https://news.example', timeZone: 'Europe/Paris', language: 'en' };

type Picture = Record<string, Record<string, unknown> & { comments: Record<string, unknown>[] }>;
/** The named fields of every article of a site picture, keyed by slug. */
const pick = (picture: Picture, fields: string[]): Record<string, Record<string, unknown>> =>
  Object.fromEntries(Object.entries(picture).map(([slug, a]) => [slug, Object.fromEntries(fields.map((f) => [f, a[f]]))]));
const commentsOf = (picture: Picture, fields: string[]): Record<string, unknown[]> =>
  Object.fromEntries(Object.entries(picture).map(([slug, a]) => [slug, a.comments.map((c) => Object.fromEntries(fields.map((f) => [f, c[f]])))]));

for (const dialect of DIALECTS) {
  describe(`WXR export [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'broadsheet-wxr-export-'));
    const file = join(dir, 'site.xml');
    const clock = new TestClock(NOW);
    let source: OpenDatabase;
    let target: OpenDatabase;
    let xml = '';
    let report: WxrReport;
    let from: Picture;
    let to: Picture;

    before(async () => {
      [source, target] = await Promise.all([openTestDatabase(dialect), openTestDatabase(dialect)]);
      await migrateToLatest(source.db);
      await migrateToLatest(target.db);
      await seedExportSite(source.db, clock);
      await writeExport(file, (sink) => exportWxr(source.db, clock, SITE, sink).then(() => undefined));
      xml = readFileSync(file, 'utf8');
      report = await importWxrFile({ db: target.db, clock }, file, { unicodeSlugs: true });
      from = (await sitePicture(source.db)) as Picture;
      to = (await sitePicture(target.db)) as Picture;
    });
    after(async () => {
      await source.close();
      await target.close();
    });

    test('the file is well-formed WXR 1.2 with the WordPress namespaces', () => {
      assert.equal(XMLValidator.validate(xml), true);
      for (const ns of ['wp="http://wordpress.org/export/1.2/"', 'excerpt="http://wordpress.org/export/1.2/excerpt/"', 'content="http://purl.org/rss/1.0/modules/content/"', 'dc="http://purl.org/dc/elements/1.1/"', 'wfw="http://wellformedweb.org/CommentAPI/"']) {
        assert.ok(xml.includes(`xmlns:${ns}`), ns);
      }
      assert.match(xml, /<wp:wxr_version>1\.2<\/wp:wxr_version>/);
      assert.match(xml, /<title>The World News &amp; Co<\/title>/);
    });

    test('every article of every status and the page are items, with WordPress statuses, types and dates', () => {
      const doc = new XMLParser({ ignoreAttributes: false, parseTagValue: false, isArray: (name) => ['item', 'wp:comment', 'category', 'wp:author', 'wp:postmeta'].includes(name) }).parse(xml);
      const items: Record<string, unknown>[] = doc.rss.channel.item;
      const byTitle = Object.fromEntries(items.map((i) => [String(i.title), i]));
      assert.equal(items.length, 6);
      const statuses = Object.fromEntries(items.map((i) => [String(i.title), [i['wp:status'], i['wp:post_type']]]));
      assert.deepEqual(statuses, {
        'Москва принимает саммит': ['publish', 'post'],
        'Scheduled: the budget vote': ['future', 'post'],
        'Draft: a story in progress': ['draft', 'post'],
        'Pending review: the port strike': ['pending', 'post'],
        'Unpublished: a retracted claim': ['private', 'post'],
        'About us': ['publish', 'page'],
      });
      const lead = byTitle['Москва принимает саммит']!;
      assert.equal(lead['wp:post_name'], 'москва-принимает-саммит');
      assert.equal(lead['wp:post_date_gmt'], '2026-11-20 08:30:00');
      assert.equal(lead['wp:post_date'], '2026-11-20 09:30:00', 'local time in SITE_TIMEZONE');
      assert.equal(byTitle['Draft: a story in progress']!['wp:post_date_gmt'], '0000-00-00 00:00:00', 'a draft that never ran has no GMT date');
      assert.equal(lead['dc:creator'], 'grace-hopper');
      assert.equal(lead['excerpt:encoded'], DEK_WITH_CDATA_END.replace('>', '&gt;'), 'the dek as HTML');
      const categories = (lead.category as Record<string, string>[]).map((c) => [c['@_domain'], c['@_nicename'], c['#text']]);
      assert.deepEqual(categories, [
        ['category', 'world', 'World'],
        ['post_tag', 'tides', 'Tides'],
        ['post_tag', 'economie', 'Économie'],
        ['author', 'cap-grace-hopper', 'Grace Hopper'],
        ['author', 'cap-zoe-angstrom', 'Zoë Ångström'],
      ]);
      assert.deepEqual((doc.rss.channel['wp:author'] as Record<string, string>[]).map((a) => a['wp:author_login']), ['grace-hopper', 'zoe-angstrom', 'ada-lovelace']);
      const comments = lead['wp:comment'] as Record<string, string>[];
      assert.deepEqual(comments.map((c) => c['wp:comment_approved']), ['1', '1', '0', 'spam', 'trash', '1']);
      const idOf = (n: number): string => comments[n]!['wp:comment_id']!;
      assert.deepEqual(comments.map((c) => c['wp:comment_parent']), ['0', idOf(0), idOf(1), '0', '0', '0']);
      assert.equal(comments[2]!['wp:comment_author'], NAME_WITH_CDATA_END, '"]]>" survives inside CDATA');
      assert.equal(comments[2]!['wp:comment_author_email'], 'reader3@example.net');
      assert.ok(xml.includes(']]]]><![CDATA[>'), 'a CDATA section holding "]]>" is split');
    });

    test('the export imports back without problems', () => {
      assert.deepEqual(report.problems, []);
      assert.deepEqual([report.comments.imported, report.comments.skipped], [THREAD.length, 0]);
    });

    // Field by field over the articles both sides have, so that one missing article fails one test only.
    const both = (fields: string[], only?: (slug: string) => boolean) => {
      const slugs = Object.keys(from).filter((slug) => slug in to && (!only || only(slug)));
      const side = (p: Picture) => pick(Object.fromEntries(slugs.map((slug) => [slug, p[slug]!])), fields);
      return [side(to), side(from)] as const;
    };
    const neverRan = (slug: string): boolean => from[slug]?.published_at === null;

    test('every article and page comes back', () => {
      assert.deepEqual(Object.keys(to).sort(), Object.keys(from).sort());
    });

    test('the same headline, dek, kind, status, section, tags and commenting', () => {
      assert.deepEqual(...both(['headline', 'dek', 'kind', 'status', 'section', 'tags', 'comment_status']));
    });

    test('the same body HTML, but for line breaks between blocks', () => {
      const [got, want] = both(['body_html']);
      const unbroken = (side: typeof got) => JSON.parse(JSON.stringify(side).replace(/>(\\n)+</g, '><'));
      assert.deepEqual(unbroken(got), unbroken(want));
    });

    test('the same publication times for articles that ran or are scheduled', () => {
      assert.deepEqual(...both(['published_at'], (slug) => !neverRan(slug)));
    });

    test('no publication time for drafts and pending articles that never ran', () => {
      assert.deepEqual(...both(['published_at'], neverRan));
    });

    test('the first byline author', () => {
      const first = (p: Picture) => Object.fromEntries(Object.entries(p).filter(([slug]) => slug in to).map(([slug, a]) => [slug, (a.authors as unknown[])[0]]));
      assert.deepEqual(first(to), first(from));
    });

    test('every byline author, in order', () => {
      assert.deepEqual(...both(['authors']));
    });

    test('the same comment threads: parents, statuses, names, emails, text and times', () => {
      const fields = ['parent', 'status', 'author_name', 'author_email', 'author_url', 'body', 'created_at'];
      const [got, want] = [to, from].map((p) => commentsOf(Object.fromEntries(Object.entries(p).filter(([slug]) => slug in to)), fields));
      assert.deepEqual(got, want);
      assert.ok(to['москва-принимает-саммит']?.comments.some((c) => c.body === COMMENT_WITH_CDATA_END));
      assert.deepEqual(...both(['comment_count']));
    });

    test('the same authors, sections and tags', async () => {
      const taxonomy = async (database: OpenDatabase) => ({
        authors: await database.db.selectFrom('authors').select(['slug', 'name']).orderBy('slug').execute(),
        sections: await database.db.selectFrom('sections').select(['slug', 'name']).orderBy('slug').execute(),
        tags: await database.db.selectFrom('tags').select(['slug', 'name']).orderBy('slug').execute(),
      });
      assert.deepEqual(await taxonomy(target), await taxonomy(source));
    });
  });
}
