import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { importCaptureFile } from '../importers/import-capture.ts';
import { isoNow } from '../lib/clock.ts';
import { createMailer } from '../lib/mailer.ts';
import { createUser } from '../newsroom/accounts.ts';
import { setUserDisabled } from '../newsroom/users-store.ts';
import { getOrCreateSecret } from '../settings/store.ts';
import { startTestServer, type TestServer } from '../../test/support/app.ts';
import { TestClock } from '../../test/support/clock.ts';
import { DIALECTS, POSTGRES_KIND } from '../../test/support/databases.ts';
import { readerOn, useOpenCommentSettings } from '../../test/support/comment-posting.ts';
import { parsePage } from '../../test/support/http.ts';
import { SEED_HEADLINE, SEED_PATH, SEED_SLUG } from '../../test/support/seed.ts';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../../test/support/smtp-sink.ts';
import { renderCommentHtml } from './format.ts';
import { moderateComments } from './moderation.ts';
import { defang, quoteBlock, subjectLine } from './notification-mail.ts';
import { createCommentNotifier, sendModerationDigest, DIGEST_INTERVAL_MS, type AppCommentNotifier, type NotificationDeps } from './notifications.ts';
import { DEFAULT_COMMENT_SETTINGS, saveCommentSettings } from './settings.ts';
import { insertComment } from './store.ts';
import { unsubscribeToken } from './unsubscribe.ts';

describe('notification mail templates make commenter text inert', () => {
  const cases: [string, string][] = [
    ['https://evil.example/x', 'hxxps://evil[.]example/x'],
    ['see www.evil.example now', 'see www[.]evil[.]example now'],
    ['HTTP://EVIL.EXAMPLE', 'HxxP://EVIL[.]EXAMPLE'],
    ['ftp://files.example/a', 'fxp://files[.]example/a'],
    ['write to me@mail.example', 'write to me@mail[.]example'],
    ['javascript:alert(1)', 'javascript[:]alert(1)'],
    ['mailto:someone', 'mailto[:]someone'],
    ['gopher://old.example', 'gopher[:]//old[.]example'],
    ['пример.рф', 'пример[.]рф'],
    ['evil。example', 'evil[.]example'],
    ['http://10.0.0.1/admin', 'hxxp://10[.]0[.]0[.]1/admin'],
    ['e.g. the U.S. paid 3.5 million.', 'e.g. the U.S. paid 3.5 million.'],
    ['bell\u0007 and \u202Eoverride\u202C', 'bell and override'],
    ['line one\r\nline two', 'line one\nline two'],
  ];
  for (const [input, expected] of cases) {
    test(JSON.stringify(input), () => assert.equal(defang(input), expected));
  }

  test('quote blocks are indented, collapse blank runs and are cut when very long', () => {
    assert.equal(quoteBlock('one\n\n\n\ntwo'), '    one\n    \n    two');
    const long = quoteBlock('word '.repeat(2000));
    assert.ok(long.length < 3200 && long.includes('[The rest is on the site.]'));
  });

  test('subject lines lose line breaks', () => {
    assert.equal(subjectLine('New comment on A\r\nBcc: victim@example.com'), 'New comment on A Bcc: victim@example.com');
  });
});

for (const dialect of DIALECTS) {
  describe(`comment notification emails [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    const clock = new TestClock('2026-12-01T09:00:00Z');
    const SITE = 'http://news.example.test';
    const EDITOR = 'editor@newsroom.example';
    const ADMIN = 'admin@newsroom.example';
    const DISABLED_EDITOR = 'gone@newsroom.example';
    const BYLINE = 'byline@newsroom.example';
    const OTHER_AUTHOR = 'other.author@newsroom.example';
    /** Every commenter address used below: none may appear in a mail to anyone else. */
    const commenterEmails = new Set<string>();
    let server: TestServer;
    let smtp: SmtpSink;
    let deps: NotificationDeps;
    let notifier: AppCommentNotifier;
    let articleId: number;

    const db = () => server.database.db;
    const mailsTo = (to: string): ReceivedMail[] => smtp.messages.filter((m) => m.to.includes(to));
    const moderation = () => ({ db: db(), clock, notifier });

    /** Inserts a comment as the posting path would store it (rendered HTML, lowercased email). */
    async function comment(fields: { name?: string; email: string; body?: string; parentId?: number; notify?: boolean; status?: 'approved' | 'pending'; reason?: string }): Promise<number> {
      const email = fields.email.toLowerCase();
      commenterEmails.add(email);
      const body = fields.body ?? 'An ordinary comment.';
      clock.advance(1000);
      return insertComment(db(), {
        article_id: articleId,
        parent_id: fields.parentId ?? null,
        author_name: fields.name ?? 'A Reader',
        author_email: email,
        author_url: '',
        body,
        body_html: renderCommentHtml(body),
        status: fields.status ?? 'approved',
        created_at: isoNow(clock),
        ip_hash: '',
        notify_replies: fields.notify ? 1 : 0,
        moderation_reason: fields.reason ?? '',
      });
    }

    /** Approves as a moderator would, then waits for the mails that causes. */
    async function approve(id: number): Promise<void> {
      await moderateComments(moderation(), [id], 'approve', { userId: null });
      await notifier.idle();
    }

    before(async () => {
      smtp = await startSmtpSink();
      server = await startTestServer(dialect, { clock, env: { SMTP_URL: smtp.url, SITE_URL: SITE } });
      await importCaptureFile({ db: db(), clock }, SEED_PATH, { siteName: server.config.siteName });
      articleId = (await db().selectFrom('articles').select('id').where('slug', '=', SEED_SLUG).executeTakeFirstOrThrow()).id;
      const accountDeps = { db: db(), clock, secret: 'unused' };
      await createUser(accountDeps, { email: EDITOR, displayName: 'Eddie Editor', role: 'editor' });
      await createUser(accountDeps, { email: ADMIN, displayName: 'Ada Admin', role: 'admin' });
      const gone = await createUser(accountDeps, { email: DISABLED_EDITOR, displayName: 'Gone Editor', role: 'editor' });
      await setUserDisabled(db(), gone.id, true, isoNow(clock));
      const byline = await createUser(accountDeps, { email: BYLINE, displayName: 'Bea Byline', role: 'author' });
      await createUser(accountDeps, { email: OTHER_AUTHOR, displayName: 'Otto Other', role: 'author' });
      await db().insertInto('article_authors').values({ article_id: articleId, author_id: byline.authorId!, position: 99 }).execute();
      deps = {
        db: db(),
        clock,
        mailer: createMailer({ smtpUrl: smtp.url, from: 'The World News <no-reply@news.example.test>', log: server.app.log }),
        log: server.app.log,
        secret: await getOrCreateSecret(db()),
        siteName: server.config.siteName,
        siteUrl: SITE,
      };
      notifier = createCommentNotifier(deps);
    });
    after(async () => {
      await notifier.idle();
      await server.close();
      await smtp.close();
    });

    test('an approved reply to a subscribed commenter sends one plain, defanged mail with the permalink and unsubscribe link', async () => {
      const parent = await comment({ name: 'Paula Parent', email: 'Paula@Readers.example', notify: true });
      const body = 'I disagree: see https://evil.example/x and www.evil.example.\n\n<img src="https://evil.example/p.png"> <a href="https://evil.example">click</a>';
      const reply = await comment({ name: 'Rex https://spam.example', email: 'rex@readers.example', body, parentId: parent, status: 'pending' });
      await approve(reply);

      const [mail, ...more] = mailsTo('paula@readers.example');
      assert.ok(mail && !more.length, 'exactly one mail');
      assert.equal(mail.subject, `New reply to your comment on ${SEED_HEADLINE}`);
      assert.match(mail.headers['content-type'] ?? '', /^text\/plain/);
      assert.ok(mail.text.includes('    I disagree: see hxxps://evil[.]example/x and www[.]evil[.]example.'), mail.text);
      assert.ok(mail.text.includes('Rex hxxps://spam[.]example replied'));
      assert.doesNotMatch(mail.text, /https?:\/\/(?!news\.example\.test\/)/, 'the only live links are our own');
      assert.doesNotMatch(mail.text, /evil\.example|rex@readers/);
      assert.ok(mail.text.includes(`${SITE}/comments/${reply}\n`), 'permalink to the reply');
      const unsubscribe = `${SITE}/comments/unsubscribe?c=${parent}&t=${unsubscribeToken(deps.secret, parent, 'paula@readers.example')}`;
      assert.ok(mail.text.includes(unsubscribe));
      assert.equal(mail.headers['list-unsubscribe'], `<${unsubscribe}>`);
      assert.equal(mail.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click');
      assert.equal(mail.headers['auto-submitted'], 'auto-generated');

      // Sent back to the queue and approved again (or approved twice): still one mail.
      await moderateComments(moderation(), [reply], 'unapprove', { userId: null });
      await approve(reply);
      notifier.approved([reply, reply]);
      await notifier.idle();
      assert.equal(mailsTo('paula@readers.example').length, 1);
    });

    test('no reply mail for a reply to oneself, to an unsubscribed, held or erased parent, or before the reply is approved', async () => {
      const self = await comment({ email: 'self@readers.example', notify: true });
      await approve(await comment({ email: 'SELF@readers.example', parentId: self, status: 'pending' }));

      const quiet = await comment({ email: 'quiet@readers.example', notify: false });
      await approve(await comment({ email: 'someone@readers.example', parentId: quiet, status: 'pending' }));

      const heldParent = await comment({ email: 'heldparent@readers.example', notify: true, status: 'pending' });
      await approve(await comment({ email: 'someone@readers.example', parentId: heldParent, status: 'pending' }));

      const erased = await comment({ email: 'erased@readers.example', notify: true });
      await db().updateTable('comments').set({ erased_at: isoNow(clock) }).where('id', '=', erased).execute();
      await approve(await comment({ email: 'someone@readers.example', parentId: erased, status: 'pending' }));

      const waiting = await comment({ email: 'waiting@readers.example', notify: true });
      const pendingReply = await comment({ email: 'someone@readers.example', parentId: waiting, status: 'pending', body: 'Held reply' });
      notifier.held([pendingReply]);
      notifier.approved([pendingReply]); // a stray call while it is still held changes nothing
      await notifier.idle();
      for (const email of ['self@readers.example', 'quiet@readers.example', 'heldparent@readers.example', 'erased@readers.example', 'waiting@readers.example']) {
        assert.equal(mailsTo(email).length, 0, email);
      }
      await approve(pendingReply);
      const mail = await smtp.waitFor('waiting@readers.example');
      assert.match(mail.text, /Held reply/);
    });

    test('byline authors with an account hear of new approved comments, but not of their own', async () => {
      const before = mailsTo(BYLINE).length;
      const id = await comment({ name: 'Carla Commenter', email: 'carla@readers.example', body: 'Great piece, more at carla.example', status: 'pending' });
      await approve(id);
      const mails = mailsTo(BYLINE).slice(before);
      const mine = mails.filter((m) => m.text.includes(`${SITE}/comments/${id}`));
      assert.equal(mine.length, 1);
      assert.equal(mine[0]!.subject, `New comment on ${SEED_HEADLINE}`);
      assert.match(mine[0]!.text, /Carla Commenter commented on your article/);
      assert.match(mine[0]!.text, / {4}Great piece, more at carla\[\.\]example/);
      assert.equal(mailsTo(OTHER_AUTHOR).length, 0, 'not an author of this article');

      const count = mailsTo(BYLINE).length;
      await approve(await comment({ name: 'Bea Byline', email: BYLINE, body: 'Author here: thanks for reading.', status: 'pending' }));
      assert.equal(mailsTo(BYLINE).length, count);

      // Turned off in the settings: no author mails.
      await saveCommentSettings(db(), { ...DEFAULT_COMMENT_SETTINGS, notifyAuthors: false });
      await approve(await comment({ email: 'carla@readers.example', status: 'pending' }));
      assert.equal(mailsTo(BYLINE).length, count);
      await saveCommentSettings(db(), { ...DEFAULT_COMMENT_SETTINGS });
    });

    test('immediate mode: every enabled editor and admin gets one mail per held comment', async () => {
      const id = await comment({
        name: 'Sam Spammer',
        email: 'sam@readers.example',
        body: 'Buy now at https://cheap.example',
        status: 'pending',
        reason: 'held: 1 link or more',
      });
      notifier.held([id]);
      notifier.held([id]);
      await notifier.idle();
      for (const moderator of [EDITOR, ADMIN]) {
        const mails = mailsTo(moderator).filter((m) => m.text.includes('Sam Spammer'));
        assert.equal(mails.length, 1, moderator);
        const mail = mails[0]!;
        assert.equal(mail.subject, `Comment awaiting moderation on ${SEED_HEADLINE}`);
        assert.match(mail.text, /From: Sam Spammer/);
        assert.match(mail.text, /Held because: held: 1 link or more/);
        assert.match(mail.text, / {4}Buy now at hxxps:\/\/cheap\[\.\]example/);
        assert.ok(mail.text.includes(`${SITE}/admin/comments?status=pending`));
      }
      assert.equal(mailsTo(DISABLED_EDITOR).length, 0);
      assert.equal(mailsTo(OTHER_AUTHOR).length, 0);
    });

    test('digest mode: nothing at once, then one digest per moderator per hour listing what is new', async () => {
      await saveCommentSettings(db(), { ...DEFAULT_COMMENT_SETTINGS, moderatorNotify: 'digest' });
      const before = mailsTo(EDITOR).length;
      const first = await comment({ name: 'Digest One', email: 'd1@readers.example', status: 'pending', reason: 'held: first comment' });
      const second = await comment({ name: 'Digest Two', email: 'd2@readers.example', status: 'pending', reason: 'held: first comment' });
      notifier.held([first, second]);
      await notifier.idle();
      assert.equal(mailsTo(EDITOR).length, before, 'no immediate mail');

      assert.equal(await sendModerationDigest(deps), 2, 'editor and admin');
      const digest = mailsTo(EDITOR).slice(before);
      assert.equal(digest.length, 1);
      assert.match(digest[0]!.subject, /^\d+ comments awaiting moderation on /);
      assert.match(digest[0]!.text, /Digest One[\s\S]*Digest Two/);
      assert.doesNotMatch(digest[0]!.text, /Sam Spammer/, 'already mailed about at once');
      assert.ok(digest[0]!.text.includes(`${SITE}/admin/comments?status=pending`));

      // Within the hour: nothing, even with new held comments.
      const third = await comment({ name: 'Digest Three', email: 'd3@readers.example', status: 'pending' });
      notifier.held([third]);
      await notifier.idle();
      clock.advance(DIGEST_INTERVAL_MS / 2);
      assert.equal(await sendModerationDigest(deps), 0);
      // An hour on: the new one only.
      clock.advance(DIGEST_INTERVAL_MS / 2);
      assert.equal(await sendModerationDigest(deps), 2);
      const next = mailsTo(EDITOR).slice(before + 1);
      assert.equal(next.length, 1);
      assert.match(next[0]!.subject, /^1 comment awaiting moderation/);
      assert.match(next[0]!.text, /Digest Three/);
      assert.doesNotMatch(next[0]!.text, /Digest One|Digest Two/);
      // Due again later, but nothing new: no mail.
      clock.advance(DIGEST_INTERVAL_MS);
      assert.equal(await sendModerationDigest(deps), 0);
      await saveCommentSettings(db(), { ...DEFAULT_COMMENT_SETTINGS });
    });

    test('the unsubscribe link works without signing in and stops reply mails for every comment of that address', async () => {
      const first = await comment({ name: 'Una', email: 'una@readers.example', notify: true });
      const second = await comment({ name: 'Una', email: 'una@readers.example', notify: true });
      const bystander = await comment({ email: 'bystander@readers.example', notify: true });
      await approve(await comment({ email: 'rex@readers.example', parentId: first, status: 'pending', body: 'First reply' }));
      const mail = await smtp.waitFor('una@readers.example');
      const link = /^http:\/\/news\.example\.test(\/comments\/unsubscribe\?\S+)$/m.exec(mail.text)?.[1];
      assert.ok(link, mail.text);

      const page = await fetch(server.origin + link, { redirect: 'manual' });
      assert.equal(page.status, 200);
      assert.equal(page.headers.get('cache-control'), 'no-store');
      const document = parsePage(await page.text());
      const form = document.querySelector('form[method="post"]')!;
      assert.equal(document.querySelector('h1')?.textContent, 'Stop emails about replies');
      assert.equal(form.querySelector('button')?.textContent?.trim(), 'Stop emails about replies');
      const notify = async () => new Map((await db().selectFrom('comments').select(['id', 'notify_replies']).where('id', 'in', [first, second, bystander]).execute()).map((r) => [r.id, r.notify_replies]));
      assert.deepEqual([...(await notify()).values()], [1, 1, 1], 'GET changes nothing');

      // The page's own button: a form post with no session and no CSRF token.
      const action = form.getAttribute('action')!.replaceAll('&amp;', '&');
      const fields = Object.fromEntries([...form.querySelectorAll('input')].map((i) => [i.getAttribute('name')!, i.getAttribute('value')!]));
      const done = await fetch(server.origin + action, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString(), redirect: 'manual' });
      assert.equal(done.status, 200);
      assert.match(await done.text(), /You will no longer receive emails about replies/);
      const after = await notify();
      assert.equal(after.get(first), 0);
      assert.equal(after.get(second), 0);
      assert.equal(after.get(bystander), 1);

      const count = mailsTo('una@readers.example').length;
      await approve(await comment({ email: 'rex@readers.example', parentId: second, status: 'pending' }));
      assert.equal(mailsTo('una@readers.example').length, count, 'no more reply mails');
    });

    test('RFC 8058 one-click POST to the List-Unsubscribe address works (form-encoded or multipart)', async () => {
      const target = await comment({ email: 'oneclick@readers.example', notify: true });
      const multi = await comment({ email: 'multipart@readers.example', notify: true });
      const url = (id: number, email: string) => `${server.origin}/comments/unsubscribe?c=${id}&t=${unsubscribeToken(deps.secret, id, email)}`;
      const encoded = await fetch(url(target, 'oneclick@readers.example'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
      assert.equal(encoded.status, 200);
      const body = new FormData();
      body.set('List-Unsubscribe', 'One-Click');
      assert.equal((await fetch(url(multi, 'multipart@readers.example'), { method: 'POST', body })).status, 200);
      const rows = await db().selectFrom('comments').select('notify_replies').where('id', 'in', [target, multi]).execute();
      assert.deepEqual(rows.map((r) => r.notify_replies), [0, 0]);
    });

    test('a forged, missing or malformed unsubscribe link is refused with a 404 page and changes nothing', async () => {
      const target = await comment({ email: 'forged@readers.example', notify: true });
      const good = unsubscribeToken(deps.secret, target, 'forged@readers.example');
      const forged = unsubscribeToken('another secret', target, 'forged@readers.example');
      const attempts = [
        `c=${target}&t=${forged}`,
        `c=${target}&t=${good.slice(0, 63)}${good.endsWith('0') ? '1' : '0'}`,
        `c=${target}`,
        `t=${good}`,
        `c=${target + 1}&t=${good}`,
        `c=abc&t=${good}`,
        `c=99999999999&t=${good}`,
        `c=${target}&t=${good}zz`,
        `c=${target}&t[]=${good}`,
        '',
      ];
      for (const query of attempts) {
        for (const method of ['GET', 'POST']) {
          const response = await fetch(`${server.origin}/comments/unsubscribe?${query}`, {
            method,
            ...(method === 'POST' ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' } : {}),
          });
          assert.equal(response.status, 404, `${method} ${query}`);
          assert.match(await response.text(), /This unsubscribe link is not valid/);
        }
      }
      const row = await db().selectFrom('comments').select('notify_replies').where('id', '=', target).executeTakeFirstOrThrow();
      assert.equal(row.notify_replies, 1);
    });

    test('through the app: a reply posted over HTTP mails the subscribed parent, and the permalink leads to the reply', async () => {
      await useOpenCommentSettings(db());
      const path = `/articles/${SEED_SLUG}`;
      const post = async (fields: Record<string, string>) => {
        const { client, hidden } = await readerOn(server.origin, path);
        const { response } = await client.postForm(`${path}/comments`, { ...hidden, author: '', email: '', url: '', comment: '', ...fields });
        assert.equal(response.status, 303);
        const id = Number((await db().selectFrom('comments').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow()).id);
        commenterEmails.add(fields.email!.toLowerCase());
        return id;
      };
      const parent = await post({ author: 'Hugo Http', email: 'hugo@readers.example', comment: 'Posted through the form.', notify_replies: 'yes' });
      const reply = await post({ author: 'Iris Http', email: 'iris@readers.example', comment: 'A reply, see iris.example', comment_parent: String(parent) });
      const mail = await smtp.waitFor('hugo@readers.example');
      assert.match(mail.text, / {4}A reply, see iris\[\.\]example/);
      assert.ok(mail.text.includes(`${SITE}/comments/${reply}\n`));
      const permalink = await fetch(`${server.origin}/comments/${reply}`, { redirect: 'manual' });
      assert.equal(permalink.status, 302);
      assert.match(permalink.headers.get('location') ?? '', new RegExp(`#comment-${reply}$`));

      // Held on arrival: moderators hear of it at once.
      await useOpenCommentSettings(db(), { holdAll: true });
      await post({ author: 'Held Http', email: 'heldhttp@readers.example', comment: 'Waiting for a moderator.' });
      for (const moderator of [EDITOR, ADMIN]) {
        for (;;) {
          const next = await smtp.waitFor(moderator);
          if (next.text.includes('Held Http')) break;
        }
      }
      await saveCommentSettings(db(), { ...DEFAULT_COMMENT_SETTINGS });
    });

    test('no mail to anyone carries another commenter’s email address', () => {
      assert.ok(smtp.messages.length > 10);
      for (const mail of smtp.messages) {
        const text = `${mail.subject}\n${mail.text}\n${JSON.stringify(mail.headers)}`.toLowerCase();
        for (const email of commenterEmails) {
          if (mail.to.toLowerCase().includes(email)) continue;
          assert.ok(!text.includes(email), `${email} in a mail to ${mail.to}`);
          assert.ok(!text.includes(email.replace(/\.example$/, '[.]example')), `defanged ${email} in a mail to ${mail.to}`);
        }
      }
    });
  });
}
