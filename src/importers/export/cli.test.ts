import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import Database from 'better-sqlite3';
import { openDatabase } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { broadsheet } from '../../../test/support/cli.ts';
import { TestClock } from '../../../test/support/clock.ts';
import { NOW, THREAD, seedExportSite } from '../../../test/support/export-seed.ts';

describe('broadsheet export and import json (separate process, SQLite files)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'broadsheet-export-cli-'));
  const source = { DATABASE_URL: `sqlite:${join(dir, 'source.db')}`, SITE_URL: 'https://news.example' };
  const target = { DATABASE_URL: `sqlite:${join(dir, 'target.db')}` };
  const count = (file: string, table: string): number => {
    const db = new Database(join(dir, file), { readonly: true });
    const { n } = db.prepare(`select count(*) as n from ${table}`).get() as { n: number };
    db.close();
    return n;
  };

  before(async () => {
    const database = openDatabase({ dialect: 'sqlite', location: join(dir, 'source.db') });
    await migrateToLatest(database.db);
    await seedExportSite(database.db, new TestClock(NOW));
    await database.close();
  });

  test('export wxr --output FILE writes a well-formed WordPress export and says what it wrote on stderr', async () => {
    const file = join(dir, 'site.xml');
    const result = await broadsheet(['export', 'wxr', '--output', file], source);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, new RegExp(`exported 5 articles, 1 pages and ${THREAD.length} comments to .*site\\.xml`));
    const xml = readFileSync(file, 'utf8');
    assert.equal(XMLValidator.validate(xml), true);
    assert.equal(xml.match(/<item>/g)?.length, 6);
    assert.ok(xml.includes('<link>https://news.example/pages/about</link>'));
    assert.equal(existsSync(`${file}.partial`), false);
  });

  test('export json goes to standard output by default; import json reads it into an empty database, and again updates', async () => {
    const exported = await broadsheet(['export', 'json'], source);
    assert.equal(exported.code, 0, exported.stderr);
    const doc = JSON.parse(exported.stdout);
    assert.equal(doc.format, 'broadsheet-export');
    const file = join(dir, 'site.json');
    writeFileSync(file, exported.stdout);

    const dry = await broadsheet(['import', 'json', file, '--dry-run'], target);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^Dry run: nothing was written\./);
    assert.equal(count('target.db', 'articles'), 0);

    const first = await broadsheet(['import', 'json', file], target);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^articles +5 +0 +0$/m);
    assert.match(first.stdout, /^pages +1 +0 +0$/m);
    assert.match(first.stdout, new RegExp(`^comments +${THREAD.length} +0 +0$`, 'm'));
    assert.equal(count('target.db', 'articles'), 6);

    const again = await broadsheet(['import', 'json', file], target);
    assert.match(again.stdout, /^articles +0 +5 /m);
    assert.match(again.stdout, new RegExp(`^comments +0 +${THREAD.length} `, 'm'));
    assert.equal(count('target.db', 'comments'), THREAD.length);
  });

  test('refusals: a file that is not an export (exit 1, nothing imported), no format or file named (exit 2)', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ format: 'broadsheet-export', version: 99, articles: [] }));
    const refused = await broadsheet(['import', 'json', bad], target);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /version 99 .*nothing was imported/);
    assert.equal((await broadsheet(['import', 'json'], target)).code, 2);
    assert.equal((await broadsheet(['export', 'csv'], source)).code, 2);
    assert.equal((await broadsheet(['export'], source)).code, 2);
  });

  test('an export whose file cannot be written fails and leaves nothing behind', async () => {
    const file = join(dir, 'missing-folder', 'site.xml');
    const result = await broadsheet(['export', 'wxr', '--output', file], source);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /missing-folder\/site\.xml: cannot be written \(ENOENT\); nothing was exported/);
    assert.equal(existsSync(file), false);
  });
});
