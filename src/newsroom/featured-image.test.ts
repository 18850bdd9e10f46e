import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { startTestServer, type TestServer } from '../../test/support/app.ts';
import { DIALECTS, POSTGRES_KIND } from '../../test/support/databases.ts';
import { Client, csrfTokenOf, parsePage } from '../../test/support/http.ts';
import { signIn, submitForm } from '../../test/support/newsroom.ts';
import { systemClock } from '../lib/clock.ts';
import { createUser } from './accounts.ts';

/** A 2000×1200 JPEG carrying camera EXIF with GPS coordinates, as phones write it. */
async function photoWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 2000, height: 1200, channels: 3, background: { r: 40, g: 90, b: 160 } } })
    .jpeg()
    .withExif({ IFD0: { Make: 'PhoneCo', Model: 'Snap 9' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 0/1' } })
    .toBuffer();
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(dir, f)).isFile());
}

for (const dialect of DIALECTS) {
  describe(`featured images [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let server: TestServer;
    let editor: Client;
    let articlePath: string;

    /** POSTs the multipart featured-image form with `file` (or none). */
    async function upload(file: { bytes: Buffer; name: string; type: string } | undefined, fields: Record<string, string>) {
      const { html } = await editor.get(articlePath);
      const body = new FormData();
      body.set('_csrf', csrfTokenOf(parsePage(html)));
      for (const [k, v] of Object.entries(fields)) body.set(k, v);
      body.set('image', file ? new Blob([new Uint8Array(file.bytes)], { type: file.type }) : new Blob([]), file?.name ?? '');
      return editor.postMultipart(`${articlePath}/featured-image`, body);
    }

    before(async () => {
      server = await startTestServer(dialect);
      await createUser({ db: server.database.db, clock: systemClock, secret: 's' }, { email: 'ed@example.com', displayName: 'Ed Itor', role: 'editor', password: 'an editor password' });
      editor = new Client(server.origin);
      await signIn(editor, 'ed@example.com', 'an editor password');
      const created = await submitForm(editor, '/admin/articles/new', '/admin/articles', { headline: 'Harbour at dawn', body_html: '<p>Boats leave early.</p>', action: 'publish', version: '', comment_status: 'open' });
      articlePath = new URL(created.response.headers.get('location')!, server.origin).pathname;
    });
    after(() => server.close());

    test('bad files are refused with a clear message and nothing is stored', async () => {
      const cases = [
        { file: { bytes: Buffer.from('just some text, not a picture'), name: 'notes.jpg', type: 'image/jpeg' }, message: /not an image we can read/ },
        { file: { bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'), name: 'logo.svg', type: 'image/svg+xml' }, message: /SVG files are not accepted/ },
        { file: undefined, message: /Choose an image file/ },
      ];
      for (const { file, message } of cases) {
        const { response, html } = await upload(file, { alt: 'Something' });
        assert.equal(response.status, 422, String(message));
        assert.match(parsePage(html).getElementById('image-error')?.textContent ?? '', message);
      }
      const tooBig = await upload({ bytes: Buffer.alloc(16 * 1024 * 1024, 1), name: 'huge.jpg', type: 'image/jpeg' }, { alt: 'Huge' });
      assert.equal(tooBig.response.status, 413);
      assert.match(parsePage(tooBig.html).getElementById('image-error')?.textContent ?? '', /larger than 15 MB/);
      const noAlt = await upload({ bytes: await photoWithGps(), name: 'harbour.jpg', type: 'image/jpeg' }, { alt: '  ', caption: 'Kept caption' });
      assert.equal(noAlt.response.status, 422);
      assert.ok(parsePage(noAlt.html).getElementById('alt-error'));
      assert.equal(parsePage(noAlt.html).getElementById('caption')?.getAttribute('value'), 'Kept caption');
      assert.deepEqual(filesUnder(server.config.mediaDir), []);
      assert.equal((await server.database.db.selectFrom('media').select('id').execute()).length, 0);
    });

    test('a photo becomes responsive AVIF/WebP/JPEG sizes without EXIF or GPS, shown with caption and credit', async () => {
      const original = await photoWithGps();
      assert.ok((await sharp(original).metadata()).exif, 'the test photo carries EXIF');
      const { response } = await upload({ bytes: original, name: 'harbour.jpg', type: 'image/jpeg' }, { alt: 'Fishing boats leaving the harbour at dawn', caption: 'The first boats leave at five.', credit: 'Jane Doe for The World News' });
      assert.equal(response.status, 303);

      const files = filesUnder(server.config.mediaDir);
      assert.deepEqual(files.map((f) => f.replace(/^.*-(\d+)\.(\w+)$/, '$1.$2')).sort(), ['1200.avif', '1200.jpg', '1200.webp', '1600.avif', '1600.jpg', '1600.webp', '480.avif', '480.jpg', '480.webp', '800.avif', '800.jpg', '800.webp']);
      for (const file of files) {
        const meta = await sharp(join(server.config.mediaDir, file)).metadata();
        assert.equal(meta.exif, undefined, `${file} has no EXIF`);
        assert.equal(meta.xmp, undefined, `${file} has no XMP`);
      }

      const { html } = await new Client(server.origin).get('/articles/harbour-at-dawn');
      const page = parsePage(html);
      const img = page.querySelector('.featured-image img')!;
      assert.equal(img.getAttribute('alt'), 'Fishing boats leaving the harbour at dawn');
      assert.equal(img.getAttribute('width'), '2000');
      assert.equal(img.getAttribute('height'), '1200');
      assert.match(img.getAttribute('srcset') ?? '', /-480\.jpg 480w, .*-1600\.jpg 1600w$/);
      assert.ok(img.getAttribute('sizes'));
      assert.deepEqual([...page.querySelectorAll('.featured-image source')].map((s) => s.getAttribute('type')), ['image/avif', 'image/webp']);
      assert.match(page.querySelector('.featured-image figcaption')?.textContent ?? '', /The first boats leave at five\.Jane Doe for The World News/);
      const served = await fetch(server.origin + img.getAttribute('src')!);
      assert.equal(served.status, 200);
      assert.equal(served.headers.get('content-type'), 'image/jpeg');

      // Replacing the image removes the old files; removing it removes the new ones.
      const png = await sharp({ create: { width: 600, height: 400, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0.5 } } }).png().toBuffer();
      assert.equal((await upload({ bytes: png, name: 'chart.png', type: 'image/png' }, { alt: 'A chart' })).response.status, 303);
      assert.equal((await fetch(server.origin + img.getAttribute('src')!)).status, 404);
      assert.deepEqual(filesUnder(server.config.mediaDir).map((f) => f.replace(/^.*-(\d+)\.(\w+)$/, '$1.$2')).sort(), ['480.avif', '480.png', '480.webp', '600.avif', '600.png', '600.webp']);
      assert.equal((await upload(undefined, { alt: 'A chart', remove: '1' })).response.status, 303);
      assert.deepEqual(filesUnder(server.config.mediaDir), []);
      assert.equal((await server.database.db.selectFrom('media').select('id').execute()).length, 0);
    });
  });
}
