/** The content API's route table (/api/v1): one line per route; every route needs a key with its scope unless public. */
import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { installApiGuard } from '../distribution/api/guard.ts';
import { openApiOptions, securityFor } from '../distribution/api/openapi.ts';
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

/** Registers /api/v1 in its own scope: the OpenAPI generator, shared schemas, the key guard, then the routes. */
export async function registerApiRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(async (api) => {
    // Registered inside this scope, the document lists the API's routes only.
    await api.register(fastifySwagger, openApiOptions(ctx));
    for (const schema of SHARED_SCHEMAS) api.addSchema(schema);
    installApiGuard(api, ctx);
    // An action sent without a body (publish, unpublish) means "no options": validate it as an empty object.
    api.addHook('preValidation', async (request) => {
      if (request.body === undefined && request.method !== 'GET') request.body = {};
    });
    const read = readHandlers(ctx);
    const write = writeHandlers(ctx);
    const v1 = distributionPaths.api;

    api.get(distributionPaths.openApi(), { schema: schemas.openApi, config: { public: true } }, async () => api.swagger());
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
  });
}
