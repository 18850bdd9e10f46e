import assert from 'node:assert/strict';
import { test } from 'node:test';
import { googleNewsLanguage } from './news-language.ts';

test('SITE_LANGUAGE (BCP 47) as Google News sitemaps name languages: ISO 639 code, zh-cn or zh-tw', () => {
  const cases: [string, string][] = [
    ['en', 'en'],
    ['en-GB', 'en'],
    ['pt-BR', 'pt'],
    ['de-CH-1996', 'de'],
    ['fil', 'fil'],
    ['zh', 'zh-cn'],
    ['zh-CN', 'zh-cn'],
    ['zh-Hans', 'zh-cn'],
    ['zh-Hans-SG', 'zh-cn'],
    ['zh-TW', 'zh-tw'],
    ['zh-Hant', 'zh-tw'],
    ['zh-Hant-HK', 'zh-tw'],
    ['zh-HK', 'zh-tw'],
  ];
  for (const [bcp47, google] of cases) assert.equal(googleNewsLanguage(bcp47), google, bcp47);
});
