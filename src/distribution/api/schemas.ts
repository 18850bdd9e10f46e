/**
 * JSON schemas of the content API: shared response shapes (registered with `$id`, so the OpenAPI document names
 * them) and each route's params, querystring, body and responses. Unknown query parameters and body fields are
 * refused through `propertyNames`, because Fastify's Ajv silently strips properties that
 * `additionalProperties: false` forbids.
 */
import { MODERATION_ACTIONS } from '../../comments/moderation.ts';
import { ARTICLE_FIELDS } from './article-json.ts';

const string = { type: 'string' } as const;
const integer = { type: 'integer' } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const nullable = <T extends { type: string }>(schema: T) => ({ ...schema, type: [schema.type, 'null'] });
const linked = { type: 'object', required: ['slug', 'name', 'url'], properties: { slug: string, name: string, url: { type: 'string', format: 'uri' } } } as const;
/** `properties` plus the allowlist of their names. */
const closed = <P extends Record<string, object>>(properties: P, required: string[] = []) => ({ type: 'object', properties, required, propertyNames: { enum: Object.keys(properties) } }) as const;

export const SHARED_SCHEMAS = [
  {
    $id: 'Error',
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: { code: { ...string, description: 'Stable machine-readable code, e.g. unauthorized, forbidden, not_found, bad_request, validation_failed, conflict' }, message: string, field: { ...string, description: 'The request field at fault' } },
      },
    },
  },
  {
    $id: 'Article',
    type: 'object',
    description: 'A published article or page. With `fields`, only the named properties are present.',
    properties: {
      id: integer,
      slug: string,
      kind: { type: 'string', enum: ['article', 'page'], description: 'page: an unlisted page such as "About us", at /pages/…' },
      url: { type: 'string', format: 'uri' },
      headline: string,
      dek: string,
      body_html: { ...string, description: 'Sanitised HTML' },
      dateline: { ...string, description: 'Place line, e.g. BEIJING' },
      published_at: dateTime,
      updated_at: dateTime,
      revised_at: { ...nullable(dateTime), description: 'Last substantial change after publication' },
      section: nullable(linked),
      tags: { type: 'array', items: linked },
      authors: { type: 'array', items: linked },
      credits: { type: 'array', items: string },
      corrections: { type: 'array', items: { type: 'object', required: ['created_at', 'text'], properties: { created_at: dateTime, text: string } } },
      featured_image: nullable({
        type: 'object',
        required: ['url', 'width', 'height', 'alt', 'caption', 'credit'],
        properties: { url: { type: 'string', format: 'uri' }, width: integer, height: integer, alt: string, caption: string, credit: string },
      }),
      comment_count: { ...integer, description: 'Approved comments' },
    },
  },
  {
    $id: 'NewsroomArticle',
    type: 'object',
    description: 'An article as the newsroom sees it, whatever its status.',
    required: ['id', 'slug', 'kind', 'status', 'version', 'url', 'headline', 'dek', 'body_html', 'dateline', 'section', 'tags', 'authors', 'credits', 'comment_status', 'published_at', 'updated_at'],
    properties: {
      id: integer,
      slug: string,
      kind: { type: 'string', enum: ['article', 'page'] },
      status: { type: 'string', enum: ['draft', 'pending', 'scheduled', 'published', 'unpublished'] },
      version: { ...integer, description: 'Send it back with the next PATCH, publish or unpublish' },
      url: { type: 'string', format: 'uri', description: 'Public address (answers only while published)' },
      headline: string,
      dek: string,
      body_html: string,
      dateline: string,
      section: { ...nullable(string), description: 'Section slug' },
      tags: { type: 'array', items: string },
      authors: { type: 'array', items: string },
      credits: { type: 'array', items: string },
      comment_status: { type: 'string', enum: ['open', 'closed'] },
      published_at: nullable(dateTime),
      updated_at: dateTime,
    },
  },
] as const;

const ref = (id: (typeof SHARED_SCHEMAS)[number]['$id']) => ({ $ref: `${id}#` });
const errors = { '4xx': ref('Error') };
const slugParams = closed({ slug: { type: 'string', minLength: 1, maxLength: 500 } }, ['slug']);
const idParams = closed({ id: { type: 'integer', minimum: 1, maximum: 2_147_483_647 } }, ['id']);
const fields = { type: 'string', maxLength: 1000, description: `Comma-separated subset of: ${ARTICLE_FIELDS.join(', ')}` } as const;
const taxonomyList = (item: object) => ({ type: 'object', required: ['data'], properties: { data: { type: 'array', items: item } } });
const taxonomyItem = (extra: Record<string, object> = {}) => ({
  type: 'object',
  required: ['slug', 'name', 'url', ...Object.keys(extra)],
  properties: { slug: string, name: string, url: { type: 'string', format: 'uri' }, ...extra },
});

/** The editable article fields of the write API (names as in the newsroom editor). */
const articleFields = {
  kind: { type: 'string', enum: ['article', 'page'], description: 'page: never listed (front page, archives, feeds); default article' },
  headline: { type: 'string', maxLength: 10_000 },
  dek: { type: 'string', maxLength: 10_000 },
  slug: { type: 'string', maxLength: 500, description: 'Address; derived from the headline when omitted' },
  body_html: { type: 'string', description: 'HTML; sanitised on save' },
  dateline: { type: 'string', maxLength: 1000 },
  section: { type: 'string', maxLength: 500, description: 'Section slug, or "" for none' },
  tags: { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 1000, pattern: '^[^,]*$' }, description: 'Tag names (created when new)' },
  authors: { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 1000, pattern: '^[^,]*$' }, description: 'Byline names in order; defaults to the token creator' },
  credits: { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 1000, pattern: '^[^\\r\\n]*$' } },
  comment_status: { type: 'string', enum: ['open', 'closed'] },
  submit_for_review: { type: 'boolean', description: 'Send the article to editors for review (status pending)' },
} as const;
const version = { type: 'integer', minimum: 1, description: 'The version this change is based on; a stale one is refused with 409' } as const;
const newsroomArticle = { 200: { type: 'object', required: ['data'], properties: { data: ref('NewsroomArticle') } }, ...errors };

export const schemas = {
  openApi: { summary: 'This OpenAPI document', tags: ['meta'], security: [], response: { 200: { type: 'object', additionalProperties: true } } },
  listArticles: {
    summary: 'Published articles, newest first',
    tags: ['content'],
    querystring: closed({
      cursor: { type: 'string', maxLength: 200, description: 'next_cursor of the previous page' },
      limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
      section: { type: 'string', maxLength: 500, description: 'Section slug' },
      tag: { type: 'string', maxLength: 500, description: 'Tag slug' },
      author: { type: 'string', maxLength: 500, description: 'Author slug' },
      published_since: { ...dateTime, description: 'RFC 3339 time; articles published at or after it' },
      kind: { type: 'string', enum: ['article', 'page'], default: 'article', description: 'page lists pages (About us, Contact…) instead of articles' },
      fields,
    }),
    response: {
      200: { type: 'object', required: ['data', 'next_cursor'], properties: { data: { type: 'array', items: ref('Article') }, next_cursor: { ...nullable(string), description: 'Pass as cursor for the next page; null on the last page' } } },
      ...errors,
    },
  },
  getArticle: {
    summary: 'One published article',
    tags: ['content'],
    params: slugParams,
    querystring: closed({ fields }),
    response: { 200: { type: 'object', required: ['data'], properties: { data: ref('Article') } }, ...errors },
  },
  listSections: { summary: 'Sections', tags: ['content'], response: { 200: taxonomyList(taxonomyItem({ description: string })), ...errors } },
  listTags: { summary: 'Tags of published articles', tags: ['content'], response: { 200: taxonomyList(taxonomyItem({ article_count: integer })), ...errors } },
  listAuthors: { summary: 'Bylines of published articles', tags: ['content'], response: { 200: taxonomyList(taxonomyItem({ bio: string, article_count: integer })), ...errors } },
  createArticle: {
    summary: 'Create an article (draft, or pending with submit_for_review)',
    tags: ['newsroom'],
    body: closed(articleFields, ['headline']),
    response: { ...newsroomArticle, 201: newsroomArticle[200] },
  },
  updateArticle: { summary: 'Change an article', tags: ['newsroom'], params: idParams, body: closed({ ...articleFields, version }, ['version']), response: newsroomArticle },
  publishArticle: {
    summary: 'Publish now, or schedule for publish_at',
    tags: ['newsroom'],
    params: idParams,
    body: closed({ version, publish_at: { ...dateTime, description: 'RFC 3339; a future time schedules the article' } }),
    response: newsroomArticle,
  },
  unpublishArticle: { summary: 'Take an article off the site', tags: ['newsroom'], params: idParams, body: closed({ version }), response: newsroomArticle },
  moderateComment: {
    summary: 'Moderate a reader comment',
    tags: ['newsroom'],
    params: idParams,
    body: closed({ action: { type: 'string', enum: [...MODERATION_ACTIONS] }, reason: { type: 'string', maxLength: 500 } }, ['action']),
    response: {
      200: {
        type: 'object',
        required: ['data'],
        properties: { data: { type: 'object', required: ['id', 'status', 'changed'], properties: { id: integer, status: { type: 'string', enum: ['approved', 'pending', 'spam', 'trash'] }, changed: { type: 'boolean' } } } },
      },
      ...errors,
    },
  },
};
