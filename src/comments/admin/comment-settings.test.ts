import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../../test/support/app.ts';
import { TestClock } from '../../../test/support/clock.ts';
import { signedInClients } from '../../../test/support/comments.ts';
import { DIALECTS, POSTGRES_KIND } from '../../../test/support/databases.ts';
import { csrfTokenOf, parsePage, type Client } from '../../../test/support/http.ts';
import type { Role } from '../../db/schema.ts';
import { DEFAULT_COMMENT_SETTINGS, loadCommentSettings } from '../settings.ts';

const PAGE = '/admin/comments/settings';

/** Every control of the settings form with its current value, as the browser would send it (unticked boxes left out). */
function formFields(document: Document): URLSearchParams {
  const form = document.querySelector(`form[action="${PAGE}"]`)!;
  const fields = new URLSearchParams();
  for (const el of form.querySelectorAll('input, textarea, select')) {
    const name = el.getAttribute('name');
    if (!name) continue;
    if (el.tagName === 'TEXTAREA') fields.set(name, el.textContent ?? '');
    else if (el.tagName === 'SELECT') fields.set(name, el.querySelector('option[selected]')?.getAttribute('value') ?? el.querySelector('option')?.getAttribute('value') ?? '');
    else if (el.getAttribute('type') === 'checkbox') {
      if (el.hasAttribute('checked')) fields.set(name, el.getAttribute('value') ?? 'on');
    } else fields.set(name, el.getAttribute('value') ?? '');
  }
  return fields;
}

for (const dialect of DIALECTS) {
  describe(`comment settings page [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let server: TestServer;
    let clients: Record<Role, Client>;
    const clock = new TestClock('2026-12-01T09:00:00Z');

    before(async () => {
      server = await startTestServer(dialect, { clock });
      clients = await signedInClients(server.database.db, clock, server.origin, ['author', 'editor']);
    });
    after(() => server.close());

    test('every setting has a labelled control with a hint, showing the defaults', async () => {
      const page = parsePage((await clients.editor.get(PAGE)).html);
      assert.equal(page.querySelectorAll('h1').length, 1);
      for (const key of Object.keys(DEFAULT_COMMENT_SETTINGS)) {
        const control = page.getElementById(key);
        assert.ok(control, `control for ${key}`);
        assert.ok(page.querySelector(`label[for="${key}"]`)?.textContent?.trim(), `label for ${key}`);
        assert.match(control.getAttribute('aria-describedby') ?? '', new RegExp(`${key}-hint`), `hint for ${key}`);
      }
      assert.equal(page.getElementById('holdFirstTime')?.getAttribute('type'), 'checkbox');
      assert.ok(page.getElementById('holdFirstTime')?.hasAttribute('checked'));
      assert.ok(!page.getElementById('holdAll')?.hasAttribute('checked'));
      assert.equal(page.getElementById('maxDepth')?.getAttribute('type'), 'number');
      assert.equal(page.getElementById('maxDepth')?.getAttribute('value'), '5');
      assert.equal(page.getElementById('disallowedIpRanges')?.tagName, 'TEXTAREA');
      assert.equal(page.getElementById('order')?.tagName, 'SELECT');
      assert.equal(page.getElementById('moderatorNotify')?.querySelector('option[selected]')?.getAttribute('value'), 'immediate');
    });

    test('settings round-trip: saved, confirmed, shown again and used', async () => {
      const page = parsePage((await clients.editor.get(PAGE)).html);
      const fields = formFields(page);
      fields.set('_csrf', csrfTokenOf(page));
      fields.set('holdAll', '1');
      fields.delete('holdFirstTime');
      fields.set('maxDepth', '3');
      fields.set('order', 'newest');
      fields.set('moderatorNotify', 'digest');
      fields.set('moderationWords', 'Casino\n\nfree money\nfree money');
      fields.set('disallowedEmails', 'spammer@example.com\n@spam.example');
      fields.set('disallowedIpRanges', '203.0.113.0/24\n2001:db8::/32\n198.51.100.7');
      const { response } = await clients.editor.postForm(PAGE, fields);
      assert.equal(response.status, 303);
      assert.equal(response.headers.get('location'), `${PAGE}?saved=1`);
      const saved = await loadCommentSettings(server.database.db);
      assert.deepEqual(saved, {
        ...DEFAULT_COMMENT_SETTINGS,
        holdAll: true,
        holdFirstTime: false,
        maxDepth: 3,
        order: 'newest',
        moderatorNotify: 'digest',
        moderationWords: ['casino', 'free money'],
        disallowedEmails: ['spammer@example.com', '@spam.example'],
        disallowedIpRanges: ['203.0.113.0/24', '2001:db8::/32', '198.51.100.7'],
      });
      const again = parsePage((await clients.editor.get(`${PAGE}?saved=1`)).html);
      assert.equal(again.querySelector('.notice')?.textContent?.trim(), 'Comment settings saved.');
      assert.ok(again.getElementById('holdAll')?.hasAttribute('checked'));
      assert.ok(!again.getElementById('holdFirstTime')?.hasAttribute('checked'));
      assert.equal(again.getElementById('maxDepth')?.getAttribute('value'), '3');
      assert.equal(again.getElementById('disallowedIpRanges')?.textContent, '203.0.113.0/24\n2001:db8::/32\n198.51.100.7');
      assert.equal(again.getElementById('order')?.querySelector('option[selected]')?.getAttribute('value'), 'newest');
    });

    test('out-of-range numbers and bad IP ranges are refused per field, with the typed values kept', async () => {
      const before = await loadCommentSettings(server.database.db);
      const page = parsePage((await clients.editor.get(PAGE)).html);
      const fields = formFields(page);
      fields.set('_csrf', csrfTokenOf(page));
      fields.set('maxDepth', '11');
      fields.set('perPage', 'lots');
      fields.set('disallowedIpRanges', '203.0.113.0/24\n10.0.0.0/33\nnot-an-ip');
      fields.set('disallowedEmails', 'fine@example.com\nnope');
      const { response, html } = await clients.editor.postForm(PAGE, fields);
      assert.equal(response.status, 422);
      const failed = parsePage(html);
      for (const field of ['maxDepth', 'perPage', 'disallowedIpRanges', 'disallowedEmails']) {
        assert.ok(failed.getElementById(`${field}-error`)?.textContent, `error for ${field}`);
        assert.equal(failed.getElementById(field)?.getAttribute('aria-invalid'), 'true', field);
        assert.match(failed.getElementById(field)?.getAttribute('aria-describedby') ?? '', new RegExp(`${field}-error`));
        assert.ok(failed.querySelector(`.error-summary a[href="#${field}"]`), `summary links ${field}`);
      }
      assert.match(failed.getElementById('disallowedIpRanges-error')?.textContent ?? '', /10\.0\.0\.0\/33, not-an-ip/);
      assert.equal(failed.getElementById('maxDepth')?.getAttribute('value'), '11');
      assert.equal(failed.getElementById('disallowedIpRanges')?.textContent, '203.0.113.0/24\n10.0.0.0/33\nnot-an-ip');
      assert.equal(failed.getElementById('minFillSeconds')?.getAttribute('value'), String(before.minFillSeconds), 'untouched values kept');
      assert.deepEqual(await loadCommentSettings(server.database.db), before, 'nothing saved');
    });

    test('only moderators may change the settings', async () => {
      assert.equal((await clients.author.get(PAGE)).response.status, 403);
      const token = csrfTokenOf(parsePage((await clients.author.get('/admin')).html));
      assert.equal((await clients.author.postForm(PAGE, { _csrf: token, maxDepth: '2' })).response.status, 403);
    });
  });
}
