/** The @fastify/swagger options of the content API: an OpenAPI 3.1 document built from the route schemas. */
import type { SwaggerOptions } from '@fastify/swagger';
import type { AppContext } from '../../web/context.ts';
import type { ApiScope } from './scopes.ts';
import { API_SCOPES, SCOPE_DESCRIPTIONS } from './scopes.ts';

/** Name of the security scheme in the document. */
export const SECURITY_SCHEME = 'bearerAuth';

/** A route's `security` requirement: the bearer key with `scope` (OpenAPI 3.1 allows role names for http schemes). */
export function securityFor(scope: ApiScope): Record<string, string[]>[] {
  return [{ [SECURITY_SCHEME]: [scope] }];
}

/** OpenAPI 3.1 settings: info, server, tags and the bearer security scheme with the scopes it carries. */
export function openApiOptions(ctx: AppContext): SwaggerOptions {
  const scopes = API_SCOPES.map((s) => `- \`${s}\`: ${SCOPE_DESCRIPTIONS[s]}`).join('\n');
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: `${ctx.config.siteName} content API`,
        version: '1',
        description: 'Published articles and their sections, tags and authors; newsroom writes with scoped tokens. Errors are `{"error":{"code","message","field"}}`.',
      },
      servers: [{ url: ctx.config.siteUrl }],
      tags: [
        { name: 'content', description: 'Published content (scope content:read)' },
        { name: 'newsroom', description: 'Writes, acting as the token’s creator with their newsroom role' },
        { name: 'meta', description: 'This document' },
      ],
      components: {
        securitySchemes: {
          [SECURITY_SCHEME]: {
            type: 'http',
            scheme: 'bearer',
            description: `An API key or token created by an admin at /admin/api-keys, sent as \`Authorization: Bearer <key>\`. Each route lists the scope it needs:\n${scopes}`,
          },
        },
      },
    },
    // Shared schemas keep their $id as their name under components/schemas.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  };
}
