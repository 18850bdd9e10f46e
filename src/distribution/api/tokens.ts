/**
 * Content API keys and tokens: created by an admin (the secret is shown once; only its SHA-256 is kept), checked
 * on every API request, revocable. Write requests act as the creating user with the role they have *now*.
 */
import { randomBytes } from 'node:crypto';
import type { DB } from '../../db/database.ts';
import { isoNow, type Clock } from '../../lib/clock.ts';
import { NotFound, ValidationError } from '../../lib/errors.ts';
import { tokenHash, toNewsroomUser, type NewsroomUser } from '../../newsroom/accounts.ts';
import { requireCan } from '../../newsroom/roles.ts';
import { isApiScope, type ApiScope } from './scopes.ts';
import * as store from './tokens-store.ts';

export interface TokenDeps {
  db: DB;
  clock: Clock;
}

/** Prefix of every secret, so secret scanners and people can tell what leaked. */
export const SECRET_PREFIX = 'bs_';
/** last_used_at is written at most this often (ms), so reading does not write on every request. */
const TOUCH_EVERY_MS = 60_000;
const MAX_NAME_LENGTH = 100;

/** A verified request credential: the token's id and scopes and the user it acts as. */
export interface ApiCaller {
  tokenId: number;
  scopes: ApiScope[];
  user: NewsroomUser;
}

/**
 * Creates a key or token named `name` with `scopes`, acting as `creator` (admins only). Returns the secret, which
 * is never stored or shown again. Throws Forbidden, ValidationError (fields name, scopes).
 */
export async function createApiToken(deps: TokenDeps, creator: NewsroomUser, input: { name: string; scopes: readonly string[] }): Promise<{ id: number; secret: string }> {
  requireCan(creator, 'settings.manage');
  const fields: Record<string, string> = {};
  const name = input.name.trim();
  if (!name) fields.name = 'Name the key after who or what will use it.';
  else if ([...name].length > MAX_NAME_LENGTH) fields.name = `Use at most ${MAX_NAME_LENGTH} characters.`;
  const scopes = [...new Set(input.scopes)];
  if (!scopes.length) fields.scopes = 'Choose at least one scope.';
  else if (!scopes.every(isApiScope)) fields.scopes = 'Choose scopes from the list.';
  if (Object.keys(fields).length) throw new ValidationError(fields);
  const secret = `${SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
  const id = await store.insertToken(deps.db, { name, token_hash: tokenHash(secret), hint: secret.slice(-4), scopes: scopes.join(' '), user_id: creator.id, created_at: isoNow(deps.clock) });
  return { id, secret };
}

/** The caller a secret stands for, or undefined when it is unknown, revoked, or its user is disabled. */
export async function authenticateApiToken(deps: TokenDeps, secret: string): Promise<ApiCaller | undefined> {
  if (!secret.startsWith(SECRET_PREFIX)) return undefined;
  const found = await store.findTokenWithUser(deps.db, tokenHash(secret));
  if (!found || found.token.revoked_at !== null || found.user.disabled) return undefined;
  const now = deps.clock.now();
  const lastUsed = found.token.last_used_at ? Date.parse(found.token.last_used_at) : 0;
  if (now.getTime() - lastUsed >= TOUCH_EVERY_MS) await store.touchToken(deps.db, found.token.id, now.toISOString());
  return { tokenId: found.token.id, scopes: found.token.scopes.split(' ').filter(isApiScope), user: toNewsroomUser(found.user) };
}

/** Revokes key `id` for good (admins only). Throws Forbidden, NotFound (unknown or already revoked). */
export async function revokeApiToken(deps: TokenDeps, user: NewsroomUser, id: number): Promise<void> {
  requireCan(user, 'settings.manage');
  if (!(await store.revokeToken(deps.db, id, isoNow(deps.clock)))) throw new NotFound('No such live API key');
}
