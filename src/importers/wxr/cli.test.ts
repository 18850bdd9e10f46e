import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { broadsheet } from '../../../test/support/cli.ts';

/** An export of `n` posts with nothing in their bodies: each is refused, and named on a line of the report. */
const emptyPosts = (n: number): string => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><wp:wxr_version>1.2</wp:wxr_version>
${Array.from({ length: n }, (_, i) => `<item><title>Empty post number ${i} with a title long enough to fill the report</title><content:encoded></content:encoded><wp:post_id>${i + 1}</wp:post_id><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>`).join('\n')}
</channel></rss>`;

describe('broadsheet import wxr (separate process, SQLite file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'broadsheet-wxr-cli-'));
  const env = { DATABASE_URL: `sqlite:${join(dir, 'news.db')}` };

  test('a report longer than a pipe holds is written out whole before the process exits', async () => {
    const file = join(dir, 'empty.xml');
    writeFileSync(file, emptyPosts(3000));
    const result = await broadsheet(['import', 'wxr', file, '--dry-run'], env);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(result.stdout.length > 200_000, `a long report (${result.stdout.length} characters)`);
    assert.equal(result.stdout.match(/^skipped post \d+ /gm)?.length, 3000);
    assert.match(result.stdout, /skipped post 3000 “Empty post number 2999 .*”: body: The body is empty\.\n?$/);
  });

  test('a missing file or a non-folder --uploads is refused with exit code 1 and nothing imported', async () => {
    const missing = await broadsheet(['import', 'wxr', join(dir, 'nope.xml')], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /nope\.xml: file not found; nothing was imported/);
    const notFolder = await broadsheet(['import', 'wxr', join(dir, 'empty.xml'), '--uploads', join(dir, 'empty.xml')], env);
    assert.equal(notFolder.code, 1);
    assert.match(notFolder.stderr, /--uploads .*: not a folder; nothing was imported/);
  });
});
