/**
 * Every kind of reader page, and the newsroom's sign-in, article list, editor (new and existing article) and
 * moderation queue (with held comments), is valid HTML by the Nu HTML Checker (W3C's validator, vnu-jar): zero
 * errors; warnings are printed as test diagnostics. Pages from both databases are checked in one JVM run.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { startTestServer } from '../support/app.ts';
import { DIALECTS } from '../support/databases.ts';
import { Client, parsePage } from '../support/http.ts';
import { hiddenCommentFields } from '../support/comment-posting.ts';
import { loadNewsroomPages, NEWSROOM_PAGES, signedInNewsroom } from '../support/newsroom-pages.ts';
import { checkHtml, describeMessages, errorsOf, type NuDocument, type NuMessage } from '../support/nu-checker.ts';
import { loadReaderPages, type ReaderPages } from '../support/reader-pages.ts';

interface PageCase {
  name: string;
  status: number;
  /** Fetched with the newsroom administrator's session. */
  signedIn?: boolean;
  /** Fetches the page as a reader (or the signed-in administrator) would: a plain GET of `path`, or a journey. */
  load: (client: Client, content: ReaderPages) => Promise<{ response: Response; html: string }>;
}

const get =
  (path: (content: ReaderPages) => string) =>
  (client: Client, content: ReaderPages): Promise<{ response: Response; html: string }> =>
    client.get(path(content));

/** Pages checked on each database. Add new reader pages here (name: a file-name-safe label). */
const PAGES: PageCase[] = [
  { name: 'front', status: 200, load: get(() => '/') },
  { name: 'article-with-comments', status: 200, load: get((c) => c.seed.path) },
  { name: 'article-with-byline-and-tags', status: 200, load: get((c) => c.marked.path) },
  { name: 'article-reply-form', status: 200, load: get((c) => `${c.seed.path}?replyto=${c.commentIds[0]}`) },
  {
    name: 'article-comment-errors',
    status: 422,
    async load(client, content) {
      const { html } = await client.get(content.seed.path);
      return client.postForm(`${content.seed.path}/comments`, { ...hiddenCommentFields(parsePage(html)), author: '', email: 'not-an-email', url: '', comment: '' });
    },
  },
  { name: 'comment-report-form', status: 200, load: get((c) => `/comments/${c.commentIds[0]}/report`) },
  { name: 'section', status: 200, load: get(() => '/section/world') },
  { name: 'section-older', status: 200, load: get(() => '/section/world?before=2099-01-01T00:00:00.000Z_1') },
  { name: 'author', status: 200, load: get((c) => `/author/${c.authors[0]!.slug}`) },
  { name: 'tag', status: 200, load: get((c) => `/tag/${c.tags[1]!.slug}`) },
  { name: 'search-results', status: 200, load: get(() => '/search?q=Putin') },
  { name: 'search-empty', status: 200, load: get(() => '/search') },
  { name: 'search-no-results', status: 200, load: get(() => '/search?q=%22%3E%3Cb%3Enothing') },
  { name: 'not-found', status: 404, load: get(() => '/no/such/page') },
  { name: 'article-not-found', status: 404, load: get(() => '/articles/no-such-story') },
];

/** More reader pages answering 200 to a plain GET, checked like the ones above: extend as routes are added. */
const MORE_READER_PATHS: string[] = [];
for (const path of MORE_READER_PATHS) PAGES.push({ name: path.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, ''), status: 200, load: get(() => path) });
// The newsroom pages; the existing article edited is the one with authors, tags and a featured image.
for (const page of NEWSROOM_PAGES) PAGES.push({ name: page.name, status: 200, signedIn: page.signedIn, load: get((c) => page.path(c.marked.id)) });

const CONTROL = 'control-invalid';
const warningsOf = (messages: NuMessage[]): NuMessage[] => messages.filter((m) => m.type === 'info' && m.subType === 'warning');

describe('reader and newsroom pages are valid HTML (Nu HTML Checker)', () => {
  const documents: NuDocument[] = [];
  const statuses = new Map<string, number>();
  let results = new Map<string, NuMessage[]>();

  before(async () => {
    for (const dialect of DIALECTS) {
      const server = await startTestServer(dialect);
      try {
        const content = await loadReaderPages(server);
        const { client: newsroom } = await signedInNewsroom(server, await loadNewsroomPages(server, content.seed.id));
        for (const page of PAGES) {
          const { response, html } = await page.load(page.signedIn ? newsroom : new Client(server.origin), content);
          const name = `${dialect}-${page.name}`;
          statuses.set(name, response.status);
          documents.push({ name, html });
        }
      } finally {
        await server.close();
      }
    }
    // A control document with a known error, so a checker that silently checks nothing cannot pass.
    documents.push({ name: CONTROL, html: '<!doctype html><html lang="en"><head></head><body><p>No title.</p></body></html>' });
    results = await checkHtml(documents);
  });

  test('the checker reports a known error (a document without <title>)', () => {
    assert.match(describeMessages(errorsOf(results.get(CONTROL) ?? [])), /title/);
  });

  for (const dialect of DIALECTS) {
    for (const page of PAGES) {
      const name = `${dialect}-${page.name}`;
      test(`${page.name} [${dialect}]: no errors`, (t) => {
        assert.equal(statuses.get(name), page.status, `${page.name} answers ${page.status}`);
        const messages = results.get(name) ?? [];
        const warnings = warningsOf(messages);
        for (const warning of warnings) t.diagnostic(`vnu ${describeMessages([warning])}`);
        assert.deepEqual(describeMessages(errorsOf(messages)), '', `vnu errors in ${page.name}`);
      });
    }
  }
});
