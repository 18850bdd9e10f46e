import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { compileErrors, validate } from '@readme/openapi-parser';
import { apiRequest } from '../../../test/support/api.ts';
import { startTestServer, type TestServer } from '../../../test/support/app.ts';
import { DIALECTS, POSTGRES_KIND } from '../../../test/support/databases.ts';

/** Every [METHOD, path] the app serves under /api/, read from Fastify's route tree; parameters written as {}. */
function servedApiRoutes(tree: string): string[] {
  const stack: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([\s│]*)[├└]── (.+?) \(([A-Z, ]+)\)$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    const segment = match[2]!;
    stack.length = depth;
    const parent = stack[depth - 1] ?? '';
    const path = parent === '/' || (parent && !segment.startsWith('/')) ? `${parent.replace(/\/$/, '')}/${segment}` : `${parent}${segment}`;
    stack[depth] = path;
    if (!path.startsWith('/api/')) continue;
    for (const method of match[3]!.split(', ')) if (method !== 'HEAD') routes.push(`${method} ${path.replace(/:[\w|:]+/g, '{}')}`);
  }
  return routes.sort();
}

for (const dialect of DIALECTS) {
  describe(`content API OpenAPI document [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());

    test('is public, valid OpenAPI 3.1, and documents every API route with its security', async () => {
      const response = await apiRequest(server.origin, 'GET', '/api/v1/openapi.json');
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
      const document = response.body;
      // The validator dereferences in place: give it a copy.
      const result = await validate(structuredClone(document));
      assert.ok(result.valid, result.valid ? '' : compileErrors(result));

      assert.equal(document.openapi, '3.1.0');
      assert.deepEqual(document.components.securitySchemes.bearerAuth, { ...document.components.securitySchemes.bearerAuth, type: 'http', scheme: 'bearer' });
      for (const name of ['Article', 'Error', 'NewsroomArticle']) assert.ok(document.components.schemas[name], name);

      const documented: string[] = [];
      const scopes: Record<string, string[] | undefined> = {};
      for (const [path, item] of Object.entries<Record<string, { security?: Record<string, string[]>[] }>>(document.paths)) {
        for (const [method, operation] of Object.entries(item)) {
          const route = `${method.toUpperCase()} ${path.replace(/\{\w+\}/g, '{}')}`;
          documented.push(route);
          scopes[route] = operation.security?.[0]?.bearerAuth;
        }
      }
      assert.deepEqual(documented.sort(), servedApiRoutes(server.app.printRoutes({ commonPrefix: false })));
      assert.deepEqual(scopes, {
        'GET /api/v1/openapi.json': undefined,
        'GET /api/v1/articles': ['content:read'],
        'GET /api/v1/articles/{}': ['content:read'],
        'GET /api/v1/sections': ['content:read'],
        'GET /api/v1/tags': ['content:read'],
        'GET /api/v1/authors': ['content:read'],
        'POST /api/v1/articles': ['articles:write'],
        'PATCH /api/v1/articles/{}': ['articles:write'],
        'POST /api/v1/articles/{}/publish': ['articles:publish'],
        'POST /api/v1/articles/{}/unpublish': ['articles:publish'],
        'POST /api/v1/comments/{}/moderate': ['comments:moderate'],
      });
      const list = document.paths['/api/v1/articles'].get;
      assert.deepEqual(list.parameters.map((p: { name: string }) => p.name).sort(), ['author', 'cursor', 'fields', 'kind', 'limit', 'published_since', 'section', 'tag']);
      assert.ok(list.responses['200'] && list.responses['4XX'], 'success and error responses');
    });
  });
}
