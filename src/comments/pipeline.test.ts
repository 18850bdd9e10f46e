/**
 * The posting pipeline over real HTTP, one test per rule and per defence: closed → length → disallowed lists and
 * bans → hold rules → spam checks → rate limits, failing closed when a check cannot run. Readers at different
 * addresses are played through a trusted proxy's X-Forwarded-For.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { moderateComments } from './moderation.ts';
import type { CommentSettings } from './settings.ts';
import { startTestServer, type TestServer } from '../../test/support/app.ts';
import { TestClock } from '../../test/support/clock.ts';
import { hiddenCommentFields, useOpenCommentSettings } from '../../test/support/comment-posting.ts';
import { seedArticle } from '../../test/support/comments.ts';
import { DIALECTS, POSTGRES_KIND } from '../../test/support/databases.ts';
import { Client, parsePage } from '../../test/support/http.ts';

interface Posted {
  status: number;
  html: string;
  /** Id of the stored comment, from the redirect. */
  id?: number;
  retryAfter: string | null;
  client: Client;
}

let readerNumber = 0;

/** Loads `path` as a reader at `ip`, fills in the form and posts it; `wait` ms pass on `clock` in between. */
async function post(server: TestServer, path: string, fields: Record<string, string>, options: { ip?: string; client?: Client; clock?: TestClock; wait?: number } = {}): Promise<Posted> {
  readerNumber += 1;
  const client = options.client ?? new Client(server.origin, { 'x-forwarded-for': options.ip ?? `198.51.100.${readerNumber % 250}` });
  const page = parsePage((await client.get(path)).html);
  if (options.clock && options.wait) options.clock.advance(options.wait);
  const hidden = page.querySelector('form.comment-form') ? hiddenCommentFields(page) : { form_time: '' };
  const { response, html } = await client.postForm(`${path}/comments`, { ...hidden, author: 'A Reader', email: `reader${readerNumber}@example.org`, url: '', comment: `Comment ${readerNumber}`, ...fields });
  const id = /#comment-(\d+)$/.exec(response.headers.get('location') ?? '')?.[1];
  return { status: response.status, html, id: id ? Number(id) : undefined, retryAfter: response.headers.get('retry-after'), client };
}

async function stored(server: TestServer, id: number | undefined) {
  assert.ok(id, 'the comment was stored');
  const row = await server.database.db.selectFrom('comments').select(['status', 'moderation_reason', 'ip_hash', 'network_hash', 'author_email']).where('id', '=', id).executeTakeFirstOrThrow();
  const events = await server.database.db.selectFrom('comment_events').select(['action', 'status', 'reason']).where('comment_id', '=', id).execute();
  return { ...row, events };
}

async function commentCount(server: TestServer): Promise<number> {
  return (await server.database.db.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
}

for (const dialect of DIALECTS) {
  describe(`comment posting pipeline [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let server: TestServer;
    const clock = new TestClock('2026-12-01T09:00:00.000Z');
    const settings = (overrides: Partial<CommentSettings> = {}) => useOpenCommentSettings(server.database.db, overrides);
    const article = (headline: string) => seedArticle(server.database.db, clock, headline);

    before(async () => {
      server = await startTestServer(dialect, { clock, env: { TRUST_PROXY: 'loopback' } });
    });
    after(() => server.close());

    test('closed: an article closed to comments refuses the post and gives the text back to copy', async () => {
      await settings();
      const { id, path } = await article('Closed to comments');
      await server.database.db.updateTable('articles').set({ comment_status: 'closed' }).where('id', '=', id).execute();
      const before = await commentCount(server);
      const posted = await post(server, path, { comment: 'My words must survive' });
      assert.equal(posted.status, 403);
      const page = parsePage(posted.html);
      assert.match(page.querySelector('.error-summary')?.textContent ?? '', /Comments are closed on this article/);
      assert.equal(page.querySelector('textarea#comment')?.textContent, 'My words must survive');
      assert.equal(await commentCount(server), before);
    });

    test('closed: comments close automatically N days after publication', async () => {
      await settings({ closeAfterDays: 2 });
      const { path } = await article('Old news');
      clock.advance(2 * 86_400_000 + 1000);
      const posted = await post(server, path, { comment: 'Too late' });
      assert.equal(posted.status, 403);
      assert.match(parsePage(posted.html).querySelector('.error-summary')?.textContent ?? '', /close 2 days after publication/);
      const fresh = await article('Fresh news');
      assert.equal((await post(server, fresh.path, {})).status, 303);
    });

    test('length: a comment over the limit and a name over 100 characters are refused with clear messages', async () => {
      await settings({ maxLength: 120 });
      const { path } = await article('Length limits');
      const long = await post(server, path, { comment: 'x'.repeat(121) });
      assert.equal(long.status, 422);
      assert.match(parsePage(long.html).getElementById('comment-error')?.textContent ?? '', /too long: 121 characters, at most 120/);
      // Emoji count as one character each, as readers count them.
      assert.equal((await post(server, path, { comment: '👍'.repeat(120) })).status, 303);
      const name = await post(server, path, { author: 'N'.repeat(101) });
      assert.equal(name.status, 422);
      assert.match(parsePage(name.html).getElementById('author-error')?.textContent ?? '', /at most 100 characters/);
    });

    test('disallowed words mark a comment as spam: its author sees it awaiting moderation, nobody else sees it', async () => {
      await settings({ disallowedWords: ['cheap pills'] });
      const { path } = await article('Disallowed words');
      const posted = await post(server, path, { comment: 'Buy CHEAP PILLS here' });
      assert.equal(posted.status, 303);
      const row = await stored(server, posted.id);
      assert.equal(row.status, 'spam');
      assert.match(row.moderation_reason, /disallowed word "cheap pills"/);
      assert.deepEqual(row.events.map((e) => [e.action, e.status]), [['posted', 'spam']]);
      const own = await posted.client.get(path);
      assert.match(parsePage(own.html).querySelector(`#comment-${posted.id} .comment-awaiting`)?.textContent ?? '', /awaiting moderation/);
      assert.equal(own.response.headers.get('cache-control'), 'private, no-store');
      const stranger = await new Client(server.origin).get(path);
      assert.ok(!stranger.html.includes('PILLS'));
      assert.match(stranger.response.headers.get('cache-control') ?? '', /^public, /, 'a stranger’s page is the shared one');
      assert.match(parsePage(stranger.html).getElementById('comments-heading')?.textContent ?? '', /^0 Comments$/);
      // A word inside another word is not the word.
      await settings({ disallowedWords: ['ass'] });
      assert.equal((await stored(server, (await post(server, path, { comment: 'A classic assessment' })).id)).status, 'approved');
    });

    test('disallowed emails (address or @domain) and IP ranges mark a comment as spam', async () => {
      await settings({ disallowedEmails: ['@spam.example', 'bad@example.org'], disallowedIpRanges: ['203.0.113.0/24', '2001:db8::/32'] });
      const { path } = await article('Disallowed senders');
      const domain = await post(server, path, { email: 'Someone@SPAM.example' });
      assert.match((await stored(server, domain.id)).moderation_reason, /matches the disallowed "@spam.example"/);
      assert.equal((await stored(server, (await post(server, path, { email: 'bad@example.org' })).id)).status, 'spam');
      const range = await post(server, path, {}, { ip: '203.0.113.77' });
      const row = await stored(server, range.id);
      assert.equal(row.status, 'spam');
      assert.match(row.moderation_reason, /disallowed range 203\.0\.113\.0\/24/);
      assert.equal((await stored(server, (await post(server, path, {}, { ip: '2001:db8:5::1' })).id)).status, 'spam');
      assert.equal((await stored(server, (await post(server, path, {}, { ip: '192.0.2.10' })).id)).status, 'approved');
    });

    test('bans by email, IP and network mark a comment as spam; IPs are stored only as keyed hashes', async () => {
      await settings();
      const { path } = await article('Bans');
      const first = await post(server, path, {}, { ip: '192.0.2.44' });
      const row = await stored(server, first.id);
      assert.equal(row.status, 'approved');
      assert.match(row.ip_hash, /^[0-9a-f]{64}$/);
      assert.ok(!JSON.stringify(row).includes('192.0.2'), 'no raw address stored');
      const now = clock.now().toISOString();
      await server.database.db.insertInto('comment_bans').values([
        { kind: 'email', value: 'banned@example.org', user_id: null, created_at: now },
        { kind: 'ip', value: row.ip_hash, user_id: null, created_at: now },
        { kind: 'network', value: row.network_hash, user_id: null, created_at: now },
      ]).execute();
      assert.match((await stored(server, (await post(server, path, { email: 'BANNED@example.org' })).id)).moderation_reason, /email address is banned/);
      assert.match((await stored(server, (await post(server, path, {}, { ip: '192.0.2.44' })).id)).moderation_reason, /IP address is banned/);
      assert.match((await stored(server, (await post(server, path, {}, { ip: '192.0.2.45' })).id)).moderation_reason, /network is banned/);
      assert.equal((await stored(server, (await post(server, path, {}, { ip: '192.0.3.45' })).id)).status, 'approved');
    });

    test('hold every comment', async () => {
      await settings({ holdAll: true });
      const { path } = await article('Hold all');
      const row = await stored(server, (await post(server, path, {})).id);
      assert.equal(row.status, 'pending');
      assert.match(row.moderation_reason, /every comment is held/);
    });

    test('first-time commenters are held; once approved, the same address (any case) is approved automatically', async () => {
      await settings({ holdFirstTime: true });
      const { path } = await article('First timers');
      const first = await post(server, path, { email: 'newcomer@example.org', comment: 'Hello, first time here' });
      const row = await stored(server, first.id);
      assert.equal(row.status, 'pending');
      assert.match(row.moderation_reason, /first comment from this email address/);
      assert.equal((await stored(server, (await post(server, path, { email: 'newcomer@example.org', comment: 'Still waiting?' })).id)).status, 'pending');
      await moderateComments({ db: server.database.db, clock, notifier: { held() {}, approved() {} } }, [first.id!], 'approve', { userId: null });
      assert.equal((await stored(server, (await post(server, path, { email: 'NewComer@Example.org', comment: 'Back again' })).id)).status, 'approved');
    });

    test('links: N or more links hold the comment; fewer pass', async () => {
      await settings({ holdLinkCount: 2 });
      const { path } = await article('Links');
      assert.equal((await stored(server, (await post(server, path, { comment: 'See https://one.example/a' })).id)).status, 'approved');
      const row = await stored(server, (await post(server, path, { comment: 'See https://one.example/a and http://two.example/b' })).id);
      assert.equal(row.status, 'pending');
      assert.match(row.moderation_reason, /2 links \(held at 2 or more\)/);
    });

    test('moderation words hold the comment', async () => {
      await settings({ moderationWords: ['lawsuit'] });
      const { path } = await article('Moderation words');
      const row = await stored(server, (await post(server, path, { comment: 'This smells like a Lawsuit.' })).id);
      assert.equal(row.status, 'pending');
      assert.match(row.moderation_reason, /moderation word "lawsuit"/);
    });

    test('honeypot: a filled-in hidden field is spam', async () => {
      await settings();
      const { path } = await article('Honeypot');
      const row = await stored(server, (await post(server, path, { homepage: 'http://bot.example' })).id);
      assert.equal(row.status, 'spam');
      assert.match(row.moderation_reason, /honeypot/);
      assert.equal((await stored(server, (await post(server, path, { homepage: ' ' })).id)).status, 'spam', 'even a space');
    });

    test('signed form time: too fast or forged is spam, missing is held, a person’s pace passes', async () => {
      await settings({ minFillSeconds: 5 });
      const { path } = await article('Form timing');
      const fast = await stored(server, (await post(server, path, {}, { clock, wait: 2000 })).id);
      assert.equal(fast.status, 'spam');
      assert.match(fast.moderation_reason, /sent 2\.0 s after the form was served/);
      assert.equal((await stored(server, (await post(server, path, {}, { clock, wait: 6000 })).id)).status, 'approved');
      const forged = await stored(server, (await post(server, path, { form_time: `${clock.now().getTime() - 60_000}.${'0'.repeat(32)}` }, { clock, wait: 6000 })).id);
      assert.match(forged.moderation_reason, /forged/);
      const missing = await stored(server, (await post(server, path, { form_time: '' }, { clock, wait: 6000 })).id);
      assert.equal(missing.status, 'pending');
      assert.match(missing.moderation_reason, /without its timing token/);
    });

    test('duplicates: the same text from the same address on the same article is refused, text kept', async () => {
      await settings();
      const { path } = await article('Duplicates');
      assert.equal((await post(server, path, { email: 'twice@example.org', comment: 'Said it once' })).status, 303);
      const before = await commentCount(server);
      const again = await post(server, path, { email: 'twice@example.org', comment: 'Said it once' });
      assert.equal(again.status, 409);
      const page = parsePage(again.html);
      assert.match(page.querySelector('.error-summary')?.textContent ?? '', /already posted this comment/);
      assert.equal(page.querySelector('textarea#comment')?.textContent, 'Said it once');
      assert.equal(await commentCount(server), before);
    });

    test('flood: a second comment from the same network or email within the interval is refused with Retry-After', async () => {
      await settings({ floodSeconds: 15 });
      const { path } = await article('Flood');
      assert.equal((await post(server, path, {}, { ip: '192.0.2.80' })).status, 303);
      const flood = await post(server, path, { comment: 'Quick second thought' }, { ip: '192.0.2.80' });
      assert.equal(flood.status, 429);
      assert.equal(flood.retryAfter, '15');
      assert.match(parsePage(flood.html).querySelector('.error-summary')?.textContent ?? '', /posting comments too quickly/);
      assert.equal(parsePage(flood.html).querySelector('textarea#comment')?.textContent, 'Quick second thought');
      assert.equal((await post(server, path, {}, { ip: '192.0.2.81' })).status, 429, 'the same network counts as one reader');
      assert.equal((await post(server, path, {}, { ip: '2001:db8:aa:1::1' })).status, 303, 'another reader is not affected');
      assert.equal((await post(server, path, {}, { ip: '2001:db8:aa:ffff::9' })).status, 429, 'nor is a new IPv6 address in the same /48 a new reader');
      clock.advance(16_000);
      assert.equal((await post(server, path, {}, { ip: '192.0.2.80' })).status, 303);
    });

    test('rate limits: at most N comments an hour per IP and per email', async () => {
      await settings({ maxPerHour: 2 });
      const { path } = await article('Hourly limits');
      for (const ip of ['192.0.2.90', '192.0.2.91']) assert.equal((await post(server, path, { email: 'prolific@example.org' }, { ip })).status, 303);
      const third = await post(server, path, { email: 'prolific@example.org' }, { ip: '192.0.2.92' });
      assert.equal(third.status, 429);
      assert.match(parsePage(third.html).querySelector('.error-summary')?.textContent ?? '', /most comments allowed in an hour/);
      assert.ok(Number(third.retryAfter) > 0);
      for (let i = 0; i < 2; i++) assert.equal((await post(server, path, {}, { ip: '192.0.2.93' })).status, 303);
      assert.equal((await post(server, path, {}, { ip: '192.0.2.93' })).status, 429, 'per IP too');
    });

    test('a reply must belong to the same article; otherwise a clear error and the text is kept', async () => {
      await settings();
      const one = await article('Article one');
      const two = await article('Article two');
      const parent = await post(server, one.path, { comment: 'On article one' });
      const stray = await post(server, two.path, { comment: 'Replying across articles', comment_parent: String(parent.id) });
      assert.equal(stray.status, 422);
      assert.match(parsePage(stray.html).querySelector('.error-summary')?.textContent ?? '', /no longer there/);
      assert.equal(parsePage(stray.html).querySelector('textarea#comment')?.textContent, 'Replying across articles');
    });

    test('names in any script are accepted and shown exactly', async () => {
      await settings();
      const { path } = await article('Names');
      const names = ['Jürgen Müller', 'Андрій Шевченко', '李小龍', "Seán O'Brien", 'Zoë 👩🏽‍🔬 Ng', 'مريم'];
      const ids: number[] = [];
      for (const name of names) ids.push((await post(server, path, { author: name })).id!);
      const page = parsePage((await new Client(server.origin).get(path)).html);
      assert.deepEqual(ids.map((id) => page.querySelector(`#comment-${id} .comment-author`)?.textContent), names);
    });
  });
}

/** A stand-in Akismet: answers comment-check by the comment author's name, as Akismet's test values do. */
async function startFakeAkismet(): Promise<{ url: string; requests: URLSearchParams[]; close(): Promise<void> }> {
  const requests: URLSearchParams[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const form = new URLSearchParams(body);
      requests.push(form);
      const author = form.get('comment_author');
      if (author === 'akismet-guaranteed-spam') return response.end('true');
      if (author === 'broken') return response.writeHead(500).end('oops');
      if (author === 'slow') return void setTimeout(() => response.end('false'), 5000);
      if (author === 'confused') return response.writeHead(200, { 'x-akismet-debug-help': 'Empty "blog" value' }).end('invalid');
      response.end('false');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('spam check adapter (Akismet) and checks that cannot run fail closed [sqlite]', () => {
  let akismet: Awaited<ReturnType<typeof startFakeAkismet>>;
  let server: TestServer;
  before(async () => {
    akismet = await startFakeAkismet();
    server = await startTestServer('sqlite', { env: { AKISMET_API_KEY: 'abc123def456', AKISMET_URL: akismet.url } });
    await useOpenCommentSettings(server.database.db);
  });
  after(async () => {
    await server.close();
    await akismet.close();
  });

  test('Akismet says spam → spam; not spam → approved; the request carries the comment, nothing goes when unset', async () => {
    const { path } = await seedArticle(server.database.db, new TestClock(), 'Akismet checks');
    const spam = await post(server, path, { author: 'akismet-guaranteed-spam', comment: 'Cheap watches' });
    const row = await stored(server, spam.id);
    assert.equal(row.status, 'spam');
    assert.equal(row.moderation_reason, 'Akismet: spam');
    assert.equal((await stored(server, (await post(server, path, { author: 'Honest Reader' })).id)).status, 'approved');
    const sent = akismet.requests.at(-1)!;
    assert.equal(sent.get('api_key'), 'abc123def456');
    assert.equal(sent.get('comment_author'), 'Honest Reader');
    assert.equal(sent.get('user_ip'), '127.0.0.1');
    assert.match(sent.get('permalink') ?? '', /^http:\/\/news\.example\.test\/articles\//);
  });

  test('an Akismet error, timeout or unexpected answer holds the comment with the reason (fail closed)', async () => {
    const { path } = await seedArticle(server.database.db, new TestClock(), 'Akismet failures');
    for (const [author, reason] of [['broken', /HTTP 500/], ['slow', /spam checks could not run/], ['confused', /Empty "blog" value/]] as const) {
      const row = await stored(server, (await post(server, path, { author })).id);
      assert.equal(row.status, 'pending', author);
      assert.match(row.moderation_reason, reason, author);
    }
  });

  test('without AKISMET_API_KEY no comment data is sent anywhere', async () => {
    const plain = await startTestServer('sqlite', { env: { AKISMET_URL: akismet.url } });
    try {
      await useOpenCommentSettings(plain.database.db);
      const { path } = await seedArticle(plain.database.db, new TestClock(), 'No third party');
      const before = akismet.requests.length;
      assert.equal((await stored(plain, (await post(plain, path, {})).id)).status, 'approved');
      assert.equal(akismet.requests.length, before);
    } finally {
      await plain.close();
    }
  });
});

describe('rate limits shared between two instances through Redis [postgres]', () => {
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

  test('instance B refuses the comment that instance A counted; in-memory limits are per instance', async () => {
    const a = await startTestServer('postgres', { env: { REDIS_URL: redisUrl } });
    const b = await startTestServer('postgres', { env: { REDIS_URL: redisUrl }, shareDatabaseOf: a });
    const memoryOnly = await startTestServer('postgres', { shareDatabaseOf: a });
    try {
      await useOpenCommentSettings(a.database.db, { maxPerHour: 2 });
      const { path } = await seedArticle(a.database.db, new TestClock(), 'Shared limits');
      const email = { email: `shared-${Date.now()}@example.org` };
      assert.equal((await post(a, path, email)).status, 303);
      assert.equal((await post(b, path, { ...email, comment: 'second, on B' })).status, 303);
      assert.equal((await post(a, path, { ...email, comment: 'third, on A' })).status, 429, 'A knows about B’s comment');
      assert.equal((await post(b, path, { ...email, comment: 'fourth, on B' })).status, 429);
      // An instance without Redis counts only its own comments.
      assert.equal((await post(memoryOnly, path, { ...email, comment: 'fifth, memory only' })).status, 303);
    } finally {
      await memoryOnly.close();
      await b.close();
      await a.close();
    }
  });

  test('when Redis cannot be reached, comments are held, never published', async () => {
    const server = await startTestServer('postgres', { env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    try {
      await useOpenCommentSettings(server.database.db);
      const { path } = await seedArticle(server.database.db, new TestClock(), 'Redis down');
      const row = await stored(server, (await post(server, path, {})).id);
      assert.equal(row.status, 'pending');
      assert.match(row.moderation_reason, /rate limits could not run/);
    } finally {
      await server.close();
    }
  });
});

