/** The content API's route table (/api/v1): one line per route; every route needs a key with its scope unless public. */
import { createRequire } from 'node:module';
import type ValidatorSelector from '@fastify/ajv-compiler';
import type SerializerSelector from '@fastify/fast-json-stringify-compiler';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { installApiGuard } from '../distribution/api/guard.ts';
import { buildOpenApiDocument, securityFor } from '../distribution/api/openapi.ts';
import { readHandlers } from '../distribution/api/read-routes.ts';
import { schemas, SHARED_SCHEMAS } from '../distribution/api/schemas.ts';
import type { ApiScope } from '../distribution/api/scopes.ts';
import { writeHandlers } from '../distribution/api/write-routes.ts';
import { distributionPaths } from '../distribution/paths.ts';
import type { AppContext } from './context.ts';

/** Article bodies may be long: up to 4 MB of JSON, as the editor allows (the app's default limit is for comments). */
const ARTICLE_BODY_LIMIT = 4 * 1024 * 1024;

/** Route options: the schema (documented with its security requirement) and the scope the guard checks. */
function scoped(scope: ApiScope, schema: object, extra: { bodyLimit?: number } = {}) {
  return { schema: { ...schema, security: securityFor(scope) }, config: { apiScope: scope }, ...extra };
}

type BuildValidator = ReturnType<typeof ValidatorSelector>;
type BuildSerializer = ReturnType<typeof SerializerSelector>;

/** For Fastify's compilers, which are CommonJS and must be at hand synchronously when a route first needs them. */
const require = createRequire(import.meta.url);

/**
 * Fastify's own compilers (Ajv for requests, fast-json-stringify for responses), but each route's validator and
 * serializer is compiled at its first use instead of when the app starts: compiling them all took about a quarter
 * of a second of every start, for routes most processes never serve. Ajv and fast-json-stringify themselves load
 * then too (about 70 ms more) when no other part of the app has loaded them. A schema error therefore surfaces at
 * the route's first request (the API tests call every route), not at start. For Fastify's `schemaController` option
 * or `setSchemaController`.
 */
export function lazySchemaController(): NonNullable<FastifyServerOptions['schemaController']> {
  let validators: BuildValidator | undefined;
  let serializers: BuildSerializer | undefined;
  const buildValidator: BuildValidator = (...args) => (validators ??= (require('@fastify/ajv-compiler') as typeof ValidatorSelector)())(...args);
  const buildSerializer: BuildSerializer = (...args) => (serializers ??= (require('@fastify/fast-json-stringify-compiler') as typeof SerializerSelector)())(...args);
  return {
    compilersFactory: {
      buildValidator: (...factoryArgs: Parameters<BuildValidator>) => {
        let compile: ReturnType<BuildValidator> | undefined;
        return (route) => {
          type Validate = ReturnType<ReturnType<BuildValidator>>;
          let validate: Validate | undefined;
          const compiled = (): Validate => (validate ??= (compile ??= buildValidator(...factoryArgs))(route));
          const lazy = (...args: Parameters<Validate>) => compiled()(...args);
          // Fastify reads `schemaEnv` before each call (Ajv's: it then passes the parent, so that Ajv may replace the
          // value itself) and `errors` after a failed one.
          return Object.defineProperties(lazy, { schemaEnv: { get: () => compiled().schemaEnv }, errors: { get: () => validate?.errors } }) as unknown as Validate;
        };
      },
      buildSerializer: (...factoryArgs: Parameters<BuildSerializer>) => {
        let compile: ReturnType<BuildSerializer> | undefined;
        return (route) => {
          let serialize: ((doc: unknown) => string) | undefined;
          return (doc: unknown) => (serialize ??= (compile ??= buildSerializer(...factoryArgs))(route))(doc);
        };
      },
    },
  };
}

type ApiHandlers = { read: ReturnType<typeof readHandlers>; write: ReturnType<typeof writeHandlers>; openApi: () => Promise<unknown> };

/** The shared schemas and the routes with their schemas and handlers, on the API's scope or the OpenAPI generator's. */
function declareApi(api: FastifyInstance, handlers: ApiHandlers): void {
  for (const schema of SHARED_SCHEMAS) api.addSchema(schema);
  const { read, write } = handlers;
  const v1 = distributionPaths.api;
  api.get(distributionPaths.openApi(), { schema: schemas.openApi, config: { public: true } }, handlers.openApi);
  api.get(v1('/articles'), scoped('content:read', schemas.listArticles), read.articles);
  api.get(v1('/articles/:slug'), scoped('content:read', schemas.getArticle), read.article);
  api.get(v1('/sections'), scoped('content:read', schemas.listSections), read.sections);
  api.get(v1('/tags'), scoped('content:read', schemas.listTags), read.tags);
  api.get(v1('/authors'), scoped('content:read', schemas.listAuthors), read.authors);
  api.post(v1('/articles'), scoped('articles:write', schemas.createArticle, { bodyLimit: ARTICLE_BODY_LIMIT }), write.create);
  api.patch(v1('/articles/:id'), scoped('articles:write', schemas.updateArticle, { bodyLimit: ARTICLE_BODY_LIMIT }), write.update);
  api.post(v1('/articles/:id/publish'), scoped('articles:publish', schemas.publishArticle), write.publish);
  api.post(v1('/articles/:id/unpublish'), scoped('articles:publish', schemas.unpublishArticle), write.unpublish);
  api.post(v1('/comments/:id/moderate'), scoped('comments:moderate', schemas.moderateComment), write.moderate);
}

/**
 * Registers /api/v1 in its own scope: lazily compiled schemas, the shared schemas, the key guard, then the routes.
 * The OpenAPI document is generated at its first request, from the same declarations (openapi.ts).
 */
export async function registerApiRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(async (api) => {
    api.setSchemaController(lazySchemaController());
    installApiGuard(api, ctx);
    // An action sent without a body (publish, unpublish) means "no options": validate it as an empty object.
    api.addHook('preValidation', async (request) => {
      if (request.body === undefined && request.method !== 'GET') request.body = {};
    });
    let document: Promise<unknown> | undefined;
    const handlers: ApiHandlers = {
      read: readHandlers(ctx),
      write: writeHandlers(ctx),
      // Kept once built; a failed build is tried again at the next request.
      openApi: () => (document ??= buildOpenApiDocument(ctx, (generator) => declareApi(generator, handlers)).catch((error: unknown) => {
        document = undefined;
        throw error;
      })),
    };
    declareApi(api, handlers);
  });
}
