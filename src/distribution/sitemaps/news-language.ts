/** The publication language as Google News sitemaps name it. */

/**
 * `news:language` for a BCP 47 tag: the ISO 639 language code in lower case (`en-GB` → `en`), except Chinese,
 * which Google News takes as `zh-cn` (simplified) or `zh-tw` (traditional: Hant script or Taiwan, Hong Kong, Macau).
 */
export function googleNewsLanguage(bcp47: string): string {
  const [language = '', ...subtags] = bcp47.toLowerCase().split(/[-_]/);
  if (language !== 'zh') return language;
  return subtags.some((s) => ['hant', 'tw', 'hk', 'mo'].includes(s)) ? 'zh-tw' : 'zh-cn';
}
