import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { SEED_HEADLINE, SEED_PATH, SEED_SLUG } from '../support/seed.ts';

const BIN = fileURLToPath(new URL('../../bin/broadsheet.js', import.meta.url));
const run = promisify(execFile);

/** Runs the installed bin as a separate process; resolves with exit code and output instead of throwing. */
async function broadsheet(args: string[], env: Record<string, string>, stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const child = run(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
    child.child.stdin?.end(stdin ?? '');
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('broadsheet CLI (separate process, SQLite file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'broadsheet-cli-'));
  const env = { DATABASE_URL: `sqlite:${join(dir, 'news.db')}` };

  test('import of the seed creates one article, a second run updates it', async () => {
    const first = await broadsheet(['import', SEED_PATH], env);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, new RegExp(`^created .*article\\.txt → /articles/${SEED_SLUG}`, 'm'));
    const second = await broadsheet(['import', SEED_PATH], env);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /^updated /m);
    const db = new Database(join(dir, 'news.db'), { readonly: true });
    const rows = db.prepare('select headline from articles').all() as { headline: string }[];
    db.close();
    assert.deepEqual(rows, [{ headline: SEED_HEADLINE }]);
  });

  test('a bad file is named with its reason, the good ones still import, and the exit code is 1', async () => {
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '');
    const result = await broadsheet(['import', empty, SEED_PATH], env);
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`error ${empty.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the file is empty`));
    assert.match(result.stdout, /^updated /m);
  });

  test('configuration errors name the variable', async () => {
    const result = await broadsheet(['import', SEED_PATH], { DATABASE_URL: 'mysql://localhost/x' });
    assert.equal(result.code, 78);
    assert.match(result.stderr, /DATABASE_URL: unsupported database "mysql"/);
  });

  test('user create makes an admin who can sign in (argon2id hash stored), and refuses bad input', async () => {
    const created = await broadsheet(['user', 'create', '--email', 'Chief@Example.com', '--name', 'Chief Editor'], env, 'a shell-typed passphrase\n');
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /^created admin chief@example\.com \(Chief Editor\)/m);
    const db = new Database(join(dir, 'news.db'), { readonly: true });
    const user = db.prepare('select role, password_hash from users where email = ?').get('chief@example.com') as { role: string; password_hash: string };
    db.close();
    assert.equal(user.role, 'admin');
    assert.match(user.password_hash, /^\$argon2id\$/);
    const bad = await broadsheet(['user', 'create', '--email', 'chief@example.com', '--name', 'Again', '--role', 'owner'], env, 'short\n');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /error role: /);
    assert.match(bad.stderr, /error password: /);
  });

  test('without files it prints usage and exits 2', async () => {
    const result = await broadsheet(['import'], env);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Usage: broadsheet/);
  });
});
