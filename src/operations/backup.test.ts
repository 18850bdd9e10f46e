/** `broadsheet backup` / `restore` as separate processes: an online backup of a serving site, restores, refusals. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import SQLite from 'better-sqlite3';
import { broadsheet } from '../../test/support/cli.ts';
import { startServerProcess, type ServerProcess } from '../../test/support/server-process.ts';

function articleCount(file: string): number {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('select count(*) from articles').pluck().get() as number;
  } finally {
    db.close();
  }
}

describe('broadsheet backup and restore (SQLite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'broadsheet-backup-'));
  const live = join(dir, 'live', 'site.db');
  const backupFile = join(dir, 'backups', 'site-backup.db');
  let site: ServerProcess;
  before(async () => {
    site = await startServerProcess({ DATABASE_URL: `sqlite:${live}`, MEDIA_DIR: join(dir, 'media'), DEMO_CONTENT: 'true' });
  });
  after(async () => {
    site.child.kill('SIGTERM');
    await site.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  test('backs up the database while the site serves it; the copy has every article', async () => {
    const served = await fetch(`${site.origin}/`);
    assert.equal(served.status, 200);
    const result = await broadsheet(['backup', backupFile], { DATABASE_URL: `sqlite:${live}` });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Backed up .* \(13 articles\) to .*site-backup\.db/);
    assert.equal(articleCount(backupFile), 13);
    assert.equal(articleCount(backupFile), articleCount(live));
    assert.equal((await fetch(`${site.origin}/`)).status, 200, 'the site still serves');
  });

  test('backup refuses to overwrite a file without --force, and replaces it with --force', async () => {
    const refused = await broadsheet(['backup', backupFile], { DATABASE_URL: `sqlite:${live}` });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /exists.*--force/);
    const forced = await broadsheet(['backup', backupFile, '--force'], { DATABASE_URL: `sqlite:${live}` });
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(articleCount(backupFile), 13);
  });

  test('restores into a new path; the restored site serves the same articles', async () => {
    const target = join(dir, 'restored', 'site.db');
    const result = await broadsheet(['restore', backupFile], { DATABASE_URL: `sqlite:${target}` });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Restored .* \(13 articles\)/);
    assert.equal(articleCount(target), articleCount(live));
    const restored = await startServerProcess({ DATABASE_URL: `sqlite:${target}`, MEDIA_DIR: join(dir, 'media'), DEMO_CONTENT: 'false' });
    try {
      const front = await fetch(`${restored.origin}/`);
      assert.equal(front.status, 200);
      assert.match(await front.text(), /Defiance of the West/);
    } finally {
      restored.child.kill('SIGTERM');
      assert.equal(await restored.exited, 0);
    }
  });

  test('restore refuses an existing database without --force, and replaces it with --force', async () => {
    const target = join(dir, 'existing', 'site.db');
    assert.equal((await broadsheet(['restore', backupFile], { DATABASE_URL: `sqlite:${target}` })).code, 0);
    // A read-only reader leaves -wal and -shm beside it: the replaced database's journal, which must not survive.
    assert.equal(articleCount(target), 13);
    assert.deepEqual([existsSync(`${target}-wal`), existsSync(`${target}-shm`)], [true, true]);
    const refused = await broadsheet(['restore', backupFile], { DATABASE_URL: `sqlite:${target}` });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /exists\. Stop the site first, then run again with --force/);
    const forced = await broadsheet(['restore', backupFile, '--force'], { DATABASE_URL: `sqlite:${target}` });
    assert.equal(forced.code, 0, forced.stderr);
    assert.deepEqual([existsSync(`${target}-wal`), existsSync(`${target}-shm`)], [false, false], 'no journal of the replaced database is left');
    assert.equal(articleCount(target), 13);
  });

  test('restore refuses files that are not Broadsheet SQLite databases, and leaves the target alone', async () => {
    const target = join(dir, 'untouched', 'site.db');
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'this is not a database\n'.repeat(100));
    const other = join(dir, 'other.db');
    const foreign = new SQLite(other);
    foreign.exec('create table things (id integer primary key)');
    foreign.close();
    for (const [file, reason] of [
      [text, /notes\.txt is not a Broadsheet SQLite database/],
      [other, /other\.db is an SQLite database, but not a Broadsheet one/],
      [join(dir, 'missing.db'), /missing\.db does not exist/],
    ] as const) {
      const result = await broadsheet(['restore', file], { DATABASE_URL: `sqlite:${target}` });
      assert.equal(result.code, 1, file);
      assert.match(result.stderr, reason);
    }
    assert.equal(existsSync(target), false);
  });

  test('on PostgreSQL both commands refuse and point at pg_dump / pg_restore', async () => {
    const env = { DATABASE_URL: 'postgres://broadsheet@127.0.0.1:1/none' };
    const backup = await broadsheet(['backup', join(dir, 'pg.db')], env);
    assert.equal(backup.code, 1);
    assert.match(backup.stderr, /SQLite only.*pg_dump/);
    const restore = await broadsheet(['restore', backupFile], env);
    assert.equal(restore.code, 1);
    assert.match(restore.stderr, /SQLite only.*pg_restore/);
    assert.equal(existsSync(join(dir, 'pg.db')), false);
  });

  test('a missing FILE is a usage error', async () => {
    const result = await broadsheet(['backup'], { DATABASE_URL: `sqlite:${live}` });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /backup FILE/);
  });
});
