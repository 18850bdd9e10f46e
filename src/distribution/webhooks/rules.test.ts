/** Table tests of the webhook rules: allowed targets, the SSRF guard at connection time, backoff, event derivation, signatures. */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, test } from 'node:test';
import { articleEventOf } from '../../newsroom/editorial.ts';
import { MAX_ATTEMPTS, nextAttemptAt } from './delivery.ts';
import { postWebhook } from './sender.ts';
import { signBody, verifySignature } from './signature.ts';
import { isPublicAddress, webhookUrlProblem } from './target.ts';

describe('webhook targets', () => {
  const cases: [string, boolean, boolean][] = [
    // url, allowed without WEBHOOKS_ALLOW_PRIVATE, allowed with it
    ['https://hooks.example.com/broadsheet', true, true],
    ['http://93.184.216.34:8080/hook', true, true],
    ['http://127.0.0.1:3000/hook', false, true],
    ['http://0x7f.1/hook', false, true],
    ['http://localhost/hook', false, true],
    ['http://api.localhost/hook', false, true],
    ['http://[::1]/hook', false, true],
    ['http://[::ffff:10.0.0.1]/hook', false, true],
    ['http://192.168.1.20/hook', false, true],
    ['http://169.254.169.254/latest/meta-data', false, true],
    ['http://100.64.0.1/hook', false, true],
    ['http://0.0.0.0/hook', false, true],
    ['ftp://hooks.example.com/x', false, false],
    ['file:///etc/passwd', false, false],
    ['javascript:alert(1)', false, false],
    ['https://user:secret@hooks.example.com/x', false, false],
    ['https://token@hooks.example.com/x', false, false],
    ['hooks.example.com/x', false, false],
    ['', false, false],
    [`https://hooks.example.com/${'x'.repeat(2000)}`, false, false],
  ];
  for (const [url, publicOnly, anyAddress] of cases) {
    test(`${url.slice(0, 60) || '(empty)'}`, () => {
      assert.equal(webhookUrlProblem(url, false) === undefined, publicOnly);
      assert.equal(webhookUrlProblem(url, true) === undefined, anyAddress);
    });
  }

  test('public addresses', () => {
    for (const ip of ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946', '8.8.8.8']) assert.equal(isPublicAddress(ip), true, ip);
    for (const ip of ['127.0.0.1', '10.0.0.1', '172.16.0.1', '192.168.0.1', '169.254.169.254', '100.64.0.1', '::1', 'fe80::1', 'fc00::1', '::ffff:127.0.0.1', '224.0.0.1', '0.0.0.0', 'nonsense']) assert.equal(isPublicAddress(ip), false, ip);
  });
});

describe('webhook sending', () => {
  test('a name resolving to loopback is refused at connection time unless private targets are allowed', async () => {
    let hits = 0;
    const server = createServer((_request, response) => {
      hits += 1;
      response.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const refused = await postWebhook(`http://localhost:${port}/hook`, '{}', {}, { timeoutMs: 2000, allowPrivate: false });
      assert.equal(refused.statusCode, null);
      assert.match(refused.error, /non-public address/);
      const literal = await postWebhook(`http://127.0.0.1:${port}/hook`, '{}', {}, { timeoutMs: 2000, allowPrivate: false });
      assert.match(literal.error, /not a public address/);
      assert.equal(hits, 0);
      const allowed = await postWebhook(`http://127.0.0.1:${port}/hook`, '{}', {}, { timeoutMs: 2000, allowPrivate: true });
      assert.deepEqual([allowed.statusCode, allowed.error, hits], [200, '', 1]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test('a receiver that never answers times out; a redirect is a failure, not followed', async () => {
    const server = createServer((request, response) => {
      if (request.url === '/slow') return; // never answers
      response.writeHead(302, { location: 'http://169.254.169.254/' }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const slow = await postWebhook(`http://127.0.0.1:${port}/slow`, '{}', {}, { timeoutMs: 200, allowPrivate: true });
      assert.deepEqual([slow.statusCode, slow.error], [null, 'timed out after 0.2 s']);
      const redirected = await postWebhook(`http://127.0.0.1:${port}/moved`, '{}', {}, { timeoutMs: 2000, allowPrivate: true });
      assert.equal(redirected.statusCode, 302);
      assert.match(redirected.error, /^HTTP 302/);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('webhook rules', () => {
  test('backoff: 1 min, 5 min, 30 min, 2 h, 12 h, then give up', () => {
    const now = new Date('2026-12-01T00:00:00.000Z');
    const delays = [1, 2, 3, 4, 5, 6].map((attempts) => {
      const next = nextAttemptAt(attempts, now);
      return next === null ? null : (Date.parse(next) - now.getTime()) / 60_000;
    });
    assert.deepEqual(delays, [1, 5, 30, 120, 720, null]);
    assert.equal(MAX_ATTEMPTS, 6);
  });

  test('the event of a save, from the status before and after', () => {
    const cases: [Parameters<typeof articleEventOf>[0], Parameters<typeof articleEventOf>[1], string | undefined][] = [
      [undefined, 'published', 'article.published'],
      [undefined, 'draft', undefined],
      [undefined, 'scheduled', undefined],
      ['draft', 'published', 'article.published'],
      ['pending', 'published', 'article.published'],
      ['scheduled', 'published', 'article.published'],
      ['unpublished', 'published', 'article.published'],
      ['published', 'published', 'article.updated'],
      ['published', 'unpublished', 'article.unpublished'],
      ['published', 'scheduled', 'article.unpublished'],
      ['scheduled', 'scheduled', undefined],
      ['scheduled', 'unpublished', undefined],
      ['draft', 'pending', undefined],
    ];
    for (const [before, after, expected] of cases) assert.equal(articleEventOf(before, after), expected, `${before} → ${after}`);
  });

  test('signatures are the HMAC-SHA256 of the exact body', () => {
    const body = '{"event":"ping","headline":"Café – «naïve»"}';
    const signature = signBody('s3cret', body);
    // Computed independently: printf '%s' "$body" | openssl dgst -sha256 -hmac s3cret
    assert.equal(signature, 'sha256=e1c71367993c7ad6b2c6b1fd5b7ac09dd330c27f82382444dc04f4583829761d');
    assert.equal(verifySignature('s3cret', body, signature), true);
    assert.equal(verifySignature('s3cret', `${body} `, signature), false);
    assert.equal(verifySignature('other', body, signature), false);
    assert.equal(verifySignature('s3cret', body, 'sha256=00'), false);
  });
});
