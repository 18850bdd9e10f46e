/** Content API tests: newsroom users with API tokens, and a JSON client over real HTTP. */
import type { DB } from '../../src/db/database.ts';
import type { Role } from '../../src/db/schema.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { createUser, type NewsroomUser } from '../../src/newsroom/accounts.ts';
import { createApiToken } from '../../src/distribution/api/tokens.ts';
import type { ApiScope } from '../../src/distribution/api/scopes.ts';

let sequence = 0;

/** A newsroom user of `role` (with a byline profile of their own). */
export async function newsroomUser(db: DB, clock: Clock, role: Role, name = `The ${role} ${++sequence}`): Promise<NewsroomUser> {
  return createUser({ db, clock, secret: 's' }, { email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.com`, displayName: name, role, password: 'api test password 123' });
}

/**
 * The secret of a new token with `scopes` acting as `user`. Only admins create tokens, so for another role the
 * token is created by `user` while an admin and the role is lowered afterwards, as a demotion would.
 */
export async function tokenFor(db: DB, clock: Clock, user: NewsroomUser, scopes: readonly ApiScope[]): Promise<string> {
  const { secret } = await createApiToken({ db, clock }, { ...user, role: 'admin' }, { name: `test key ${++sequence}`, scopes });
  return secret;
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** A JSON request to the API at `origin`; `token` goes into `Authorization: Bearer`. */
export async function apiRequest<T = any>(origin: string, method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(origin + path, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), redirect: 'manual' });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}
