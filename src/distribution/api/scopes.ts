/** The scopes a content API key or token may carry, and what each allows. */

export const API_SCOPES = ['content:read', 'articles:write', 'articles:publish', 'comments:moderate'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** What each scope allows, for the newsroom's key form and the OpenAPI document. */
export const SCOPE_DESCRIPTIONS: Record<ApiScope, string> = {
  'content:read': 'Read published articles, sections, tags and authors',
  'articles:write': 'Create and edit articles (as the key’s creator, with their role)',
  'articles:publish': 'Publish, schedule and unpublish articles (as the key’s creator, with their role)',
  'comments:moderate': 'Moderate reader comments (as the key’s creator, with their role)',
};

/** True for a scope name this version knows (untrusted input). */
export function isApiScope(value: string): value is ApiScope {
  return (API_SCOPES as readonly string[]).includes(value);
}
