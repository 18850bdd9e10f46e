import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { buildServer, SERVER_BUNDLE } from '../../scripts/build.ts';
import { Client, csrfTokenOf, parsePage } from '../support/http.ts';
import { submitForm } from '../support/newsroom.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts the server in its own process, from the sources through tsx or, with `args` ['dist/server.js'], as `npm start`
 * runs it once built; resolves once it logs that it listens.
 */
function startServer(env: Record<string, string>, args = ['--import', 'tsx', 'src/server.ts']): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(' is on http')) resolve({ child, output: () => output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

/**
 * Builds dist/ from the sources and starts dist/server.js as `npm start` runs it (production, one process) on a new
 * SQLite database, with or without the demo content.
 */
async function startBuilt(demoContent: boolean): Promise<{ child: ChildProcess; exited: Promise<number | null>; origin: string }> {
  await buildServer();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'broadsheet-build-'));
  const env = { PORT: String(port), DATABASE_URL: `sqlite:${join(dir, 'site.db')}`, MEDIA_DIR: join(dir, 'media'), DEMO_CONTENT: String(demoContent), NODE_ENV: 'production', WORKERS: '1' };
  const { child } = await startServer(env, [SERVER_BUNDLE]);
  return { child, exited: exitOf(child), origin: `http://127.0.0.1:${port}` };
}

describe('server process', () => {
  test('serves the demo site on SQLite, then exits cleanly on SIGTERM', async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'broadsheet-server-'));
    const { child, output } = await startServer({ PORT: String(port), DATABASE_URL: `sqlite:${join(dir, 'site.db')}`, DEMO_CONTENT: 'true' });
    const exited = exitOf(child);
    const response = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal(response.status, 200);
    assert.match(await response.text(), /The World News/);
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.match(output(), /shutting down/);
  });

  test('the production build (what npm start runs): dist/server.js serves pages, assets, the editor script and the API document', async () => {
    const { child, exited, origin } = await startBuilt(true);
    try {
      const front = await fetch(`${origin}/`);
      assert.equal(front.status, 200);
      const html = await front.text();
      const articlePath = /href="(\/articles\/[^"]+)"/.exec(html)?.[1];
      const stylesheet = /<link rel="stylesheet" href="([^"]+)"/.exec(html)?.[1];
      assert.ok(articlePath && stylesheet, 'the front page links an article and the stylesheet');
      const article = await fetch(origin + articlePath);
      assert.equal(article.status, 200);
      assert.match(await article.text(), /<h1[^>]*>[^<]+</);
      const css = await fetch(origin + stylesheet);
      assert.equal(css.status, 200);
      assert.match(css.headers.get('content-type') ?? '', /text\/css/);
      assert.ok((await css.text()).length > 1000);
      const editor = await fetch(`${origin}/assets/editor.js`);
      assert.equal(editor.status, 200, 'the newsroom editor script is bundled from its sources on first request');
      const openapi = await fetch(`${origin}/api/v1/openapi.json`);
      assert.equal(openapi.status, 200);
      assert.match(String(((await openapi.json()) as { openapi?: string }).openapi), /^3\./);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0);
  });

  test('the production build: what loads at first use works from the bundle and from node_modules (setup, article, image, feed, sitemap, metrics)', async () => {
    const { child, exited, origin } = await startBuilt(false);
    try {
      // The first administrator's password is hashed with argon2 (a native package, left in node_modules).
      const editor = new Client(origin);
      const setup = await submitForm(editor, '/admin/setup', '/admin/setup', { display_name: 'Ed Itor', email: 'ed@example.com', password: 'an editor password' });
      assert.equal(setup.response.status, 303);
      // Saving sanitises the body (sanitize-html, required at first use).
      const created = await submitForm(editor, '/admin/articles/new', '/admin/articles', { headline: 'Harbour at dawn', body_html: '<p>Boats leave early.<script>x()</script></p>', action: 'publish', version: '', comment_status: 'open' });
      assert.equal(created.response.status, 303);
      const articlePath = new URL(created.response.headers.get('location')!, origin).pathname;
      // An image upload: @fastify/multipart (bundled) and sharp (native).
      const form = new FormData();
      form.set('_csrf', csrfTokenOf(parsePage((await editor.get(articlePath)).html)));
      form.set('alt', 'Boats in the harbour');
      const photo = await sharp({ create: { width: 800, height: 500, channels: 3, background: { r: 40, g: 90, b: 160 } } }).jpeg().toBuffer();
      form.set('image', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), 'harbour.jpg');
      const upload = await editor.postMultipart(`${articlePath}/featured-image`, form);
      assert.equal(upload.response.status, 303, upload.html.slice(0, 500));
      const page = await fetch(`${origin}/articles/harbour-at-dawn`);
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /Boats leave early\./);
      assert.doesNotMatch(html, /<script>x\(\)/);
      assert.match(html, /<img[^>]+\/media\//, 'the article shows its featured image');
      // Bundled packages used at a request: feed, sitemap (streams), prom-client.
      const feed = await fetch(`${origin}/feed.xml`);
      assert.equal(feed.status, 200);
      assert.match(await feed.text(), /<item>\s*<title><!\[CDATA\[Harbour at dawn\]\]><\/title>/);
      const sitemap = await fetch(`${origin}/sitemap.xml`);
      assert.equal(sitemap.status, 200);
      assert.match(await sitemap.text(), /<sitemapindex/);
      const metrics = await fetch(`${origin}/metrics`);
      assert.equal(metrics.status, 200);
      assert.match(await metrics.text(), /^process_cpu_seconds_total \d/m);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0);
  });

  test('a bad configuration stops the start with a message naming the variable', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: ROOT, env: { ...process.env, PORT: 'http' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    assert.equal(await exitOf(child), 78);
    assert.match(stderr, /Configuration error: PORT: expected a TCP port number/);
  });
});
