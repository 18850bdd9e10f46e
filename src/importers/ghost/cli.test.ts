import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { broadsheet } from '../../../test/support/cli.ts';

const FIXTURE = fileURLToPath(new URL('../../../test/fixtures/ghost/v4_export.json', import.meta.url));
const posts = (JSON.parse(readFileSync(FIXTURE, 'utf8')) as { db: { data: { posts: { type: string }[] } }[] }).db[0]!.data.posts;
describe('broadsheet import ghost (separate process, SQLite file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'broadsheet-ghost-cli-'));
  const file = join(dir, 'news.db');
  const env = { DATABASE_URL: `sqlite:${file}` };
  const articleCount = (): number => {
    const db = new Database(file, { readonly: true });
    const { n } = db.prepare('select count(*) as n from articles').get() as { n: number };
    db.close();
    return n;
  };

  test('a dry run prints the report and writes nothing; the import writes every post and page; again updates', async () => {
    const dry = await broadsheet(['import', 'ghost', FIXTURE, '--dry-run'], env);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^Dry run: nothing was written\./);
    assert.equal(articleCount(), 0);
    const first = await broadsheet(['import', 'ghost', FIXTURE], env);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, new RegExp(`^articles +${posts.filter((p) => p.type === 'post').length} +0 +0$`, 'm'));
    assert.match(first.stdout, new RegExp(`^pages +${posts.filter((p) => p.type === 'page').length} +0 +0$`, 'm'));
    assert.equal(articleCount(), posts.length);
    const again = await broadsheet(['import', 'ghost', FIXTURE], env);
    assert.match(again.stdout, new RegExp(`^articles +0 +${posts.filter((p) => p.type === 'post').length} `, 'm'));
    assert.equal(articleCount(), posts.length);
  });

  test('a post with a field of the wrong type is reported as skipped with its reason; the rest imports, exit code 0', async () => {
    const mixed = join(dir, 'mixed.json');
    const post = { type: 'post', status: 'published', visibility: 'public', html: '<p>Text</p>', published_at: '2022-05-06 07:08:09' };
    writeFileSync(mixed, JSON.stringify({ meta: { version: '5.0.0' }, data: { posts: [{ ...post, id: 'ok1', title: 'Fine', slug: 'fine-cli' }, { ...post, id: 'bad1', title: 12345, slug: 'bad-cli' }] } }));
    const before = articleCount();
    const run = await broadsheet(['import', 'ghost', mixed], env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^skipped post bad1 “”: title: expected text, got number$/m);
    assert.match(run.stdout, /^articles +1 +0 +1 +1 unreadable field$/m);
    assert.equal(articleCount(), before + 1);
  });

  test('a file that is not a Ghost export is refused with its reason and exit code 1; no file is a usage error', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"hello":"world"}');
    const refused = await broadsheet(['import', 'ghost', bad], env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /not a Ghost export.*nothing was imported/);
    assert.equal((await broadsheet(['import', 'ghost'], env)).code, 2);
  });
});
