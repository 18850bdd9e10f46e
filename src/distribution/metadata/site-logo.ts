/** The publication's logo for structured data (schema.org Organization `logo`): a square PNG among the site assets. */

/**
 * Path and pixel size of `src/web/assets/logo.png` (rendered once with sharp from favicon.svg). Google's
 * publisher logo guidance asks for at least 112×112 px in a format it can crawl.
 */
export const SITE_LOGO = { path: '/assets/logo.png', width: 512, height: 512 } as const;
