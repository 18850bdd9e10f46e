import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig, parseDatabaseUrl } from './config.ts';

describe('configuration', () => {
  test('defaults', () => {
    const config = loadConfig({});
    assert.equal(config.port, 3000);
    assert.equal(config.host, '127.0.0.1');
    assert.deepEqual(config.database, { dialect: 'sqlite', location: './data/broadsheet.db' });
    assert.equal(config.siteName, 'The World News');
    assert.equal(config.siteUrl, 'http://localhost:3000');
    assert.equal(config.demoContent, true);
  });

  for (const [raw, expected] of [
    ['sqlite:./x.db', { dialect: 'sqlite', location: './x.db' }],
    ['sqlite:///var/lib/news.db', { dialect: 'sqlite', location: '/var/lib/news.db' }],
    ['/tmp/plain.db', { dialect: 'sqlite', location: '/tmp/plain.db' }],
    ['postgres://u@db:5432/news', { dialect: 'postgres', location: 'postgres://u@db:5432/news' }],
    ['postgresql://u@db/news', { dialect: 'postgres', location: 'postgresql://u@db/news' }],
    ['file:/tmp/x.db', { dialect: 'sqlite', location: '/tmp/x.db' }],
  ] as const) {
    test(`DATABASE_URL ${raw}`, () => assert.deepEqual(parseDatabaseUrl(raw), expected));
  }

  for (const [variable, value, message] of [
    ['PORT', 'eighty', /PORT: expected a TCP port/],
    ['PORT', '70000', /PORT: expected a TCP port/],
    ['DATABASE_URL', 'mysql://x/y', /DATABASE_URL: unsupported database "mysql"/],
    ['DATABASE_URL', 'sqlite:', /DATABASE_URL: sqlite: needs a file path/],
    ['SITE_URL', 'news.example.com', /SITE_URL: expected an absolute http\(s\) URL/],
    ['SITE_URL', 'ftp://news.example.com', /SITE_URL: expected an http or https URL/],
    ['DEMO_CONTENT', 'maybe', /DEMO_CONTENT: expected true or false/],
    ['SITE_TIMEZONE', 'Mars/Olympus', /SITE_TIMEZONE: unknown time zone/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL: expected one of/],
  ] as const) {
    test(`${variable}=${value} is refused with a message naming it`, () => {
      assert.throws(() => loadConfig({ [variable]: value }), (error: unknown) => error instanceof ConfigError && error.variable === variable && message.test(error.message));
    });
  }

  test('SITE_URL loses its trailing slash; SITE_URL defaults follow HOST and PORT', () => {
    assert.equal(loadConfig({ SITE_URL: 'https://news.example.com/' }).siteUrl, 'https://news.example.com');
    assert.equal(loadConfig({ HOST: 'news.internal', PORT: '8080' }).siteUrl, 'http://news.internal:8080');
    assert.equal(loadConfig({ DEMO_CONTENT: 'off' }).demoContent, false);
    assert.equal(loadConfig({ HOST: '2001:db8::1', PORT: '80' }).siteUrl, 'http://[2001:db8::1]');
  });
});
