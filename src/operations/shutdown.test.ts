/** Graceful shutdown of the server process: SIGTERM lets an in-flight request finish, then exits 0; a second signal exits 1. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request, type ClientRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { startServerProcess, type ServerProcess } from '../../test/support/server-process.ts';

const dirs: string[] = [];

async function startSite(): Promise<ServerProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'broadsheet-shutdown-'));
  dirs.push(dir);
  return startServerProcess({ DATABASE_URL: `sqlite:${join(dir, 'site.db')}`, MEDIA_DIR: join(dir, 'media'), DEMO_CONTENT: 'false' });
}

interface OpenPost {
  request: ClientRequest;
  /** Writes the rest of the body; the response then follows. */
  finish(): void;
  response: Promise<{ status: number; connection: string | undefined; body: string }>;
}

/**
 * Starts the newsroom's forgotten-password POST (a form answered 200 for any address) with only half of its body
 * sent: the request is in flight, routed, and waiting for the rest. Resolves once the server has logged it.
 */
async function startSlowPost(site: ServerProcess, email: string): Promise<OpenPost> {
  const form = await fetch(`${site.origin}/admin/password/forgot`);
  const cookie = form.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  assert.ok(csrf, 'the form carries a CSRF token');
  const body = new URLSearchParams({ _csrf: csrf, email }).toString();
  const half = Math.floor(body.length / 2);
  const post = request(`${site.origin}/admin/password/forgot`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)), cookie },
  });
  const response = new Promise<{ status: number; connection: string | undefined; body: string }>((resolve, reject) => {
    post.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body: text }));
      res.on('error', reject);
    });
    post.on('error', reject);
  });
  post.write(body.slice(0, half));
  await site.waitForOutput(/"method":"POST","url":"\/admin\/password\/forgot"/);
  return { request: post, finish: () => post.end(body.slice(half)), response };
}

describe('graceful shutdown of the server process', () => {
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  test('SIGTERM waits for the in-flight request, answers it in full, closes and exits 0', async () => {
    const site = await startSite();
    const post = await startSlowPost(site, 'reporter@example.test');
    site.child.kill('SIGTERM');
    await site.waitForOutput('shutting down');
    assert.equal(site.child.exitCode, null, 'still running while a request is in flight');
    post.finish();
    const answer = await post.response;
    assert.equal(answer.status, 200);
    // A kept-alive connection would hold the shutdown open until the client hung up.
    assert.equal(answer.connection, 'close');
    assert.match(answer.body, /If reporter@example\.test belongs to an account, a link to choose a new password is on its way/);
    assert.match(answer.body, /<\/html>\s*$/);
    assert.equal(await site.exited, 0);
    assert.match(site.output(), /"msg":"shut down"/);
  });

  test('a second signal exits 1 at once, without waiting for the in-flight request', async () => {
    const site = await startSite();
    const post = await startSlowPost(site, 'editor@example.test');
    const cut = post.response.then(() => 'answered', () => 'cut'); // the exit cuts the connection
    site.child.kill('SIGTERM');
    await site.waitForOutput('shutting down');
    site.child.kill('SIGINT');
    assert.equal(await site.exited, 1);
    assert.match(site.output(), /second signal/);
    assert.equal(await cut, 'cut');
  });
});
