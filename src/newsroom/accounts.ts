/**
 * Newsroom accounts: the first admin, users from the shell, login with throttling, and server-side sessions
 * (random token in an HttpOnly cookie, SHA-256 in the database) with idle and absolute expiry.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { DB } from '../db/database.ts';
import type { Role, UserRow } from '../db/schema.ts';
import { slugFor } from '../lib/slug.ts';
import { insertAuthorWithFreeSlug } from '../articles/taxonomy-store.ts';
import { hashIp } from '../comments/network.ts';
import { isoNow, type Clock } from '../lib/clock.ts';
import { Conflict, ValidationError } from '../lib/errors.ts';
import validator from '../lib/validator-lite.ts';
import { decoyPasswordHash, hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { isRole } from './roles.ts';
import * as sessions from './sessions-store.ts';
import { accountKey, assertNotLocked, ipKey, recordFailure, recordSuccess, THROTTLE_POLICY } from './throttle.ts';
import * as users from './users-store.ts';

export interface AccountDeps {
  db: DB;
  clock: Clock;
  secret: string;
}

const HOUR_MS = 3_600_000;
export const SESSION_POLICY = {
  /** A session unused this long ends (ms). */
  idleMs: 12 * HOUR_MS,
  /** A session ends this long after login whatever its use (ms). */
  absoluteMs: 7 * 24 * HOUR_MS,
  /** last_seen_at is written at most this often (ms), so reading pages does not write on every request. */
  touchEveryMs: 60_000,
} as const;

/** A signed-in newsroom user as handlers see it (no password hash). */
export interface NewsroomUser {
  id: number;
  email: string;
  displayName: string;
  role: Role;
  authorId: number | null;
}

export function toNewsroomUser(row: UserRow): NewsroomUser {
  return { id: row.id, email: row.email, displayName: row.display_name, role: row.role, authorId: row.author_id };
}

/** SHA-256 hex of a token; only hashes of session and email tokens are stored. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export interface NewUserInput {
  email: string;
  displayName: string;
  role: string;
  /** Omitted for invitations: the user sets one from the emailed link. */
  password?: string;
}

/** Validates a new user's fields; throws ValidationError (fields: email, display_name, role, password). */
function validateNewUser(input: NewUserInput): void {
  const fields: Record<string, string> = {};
  const email = input.email.trim();
  if (!email) fields.email = 'Enter an email address.';
  else if (!validator.isEmail(email)) fields.email = 'Enter a valid email address, such as name@example.com.';
  if (!input.displayName.trim()) fields.display_name = 'Enter a name.';
  else if (input.displayName.trim().length > 100) fields.display_name = 'Use at most 100 characters.';
  if (!isRole(input.role)) fields.role = 'Choose a role: contributor, author, editor or admin.';
  if (input.password !== undefined) {
    const problem = passwordProblem(input.password, email);
    if (problem) fields.password = problem;
  }
  if (Object.keys(fields).length) throw new ValidationError(fields);
}

/**
 * Creates a user with a byline author profile of their own, in one transaction. Throws ValidationError
 * for bad fields, including an email address that is already taken.
 */
export async function createUser(deps: AccountDeps, input: NewUserInput, options: { firstAdmin?: boolean } = {}): Promise<NewsroomUser> {
  validateNewUser(input);
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  return deps.db.transaction().execute(async (tx) => {
    if (options.firstAdmin) {
      // Several setup forms sent at once: only the transaction that claims this marker creates an admin.
      const claimed = await tx.insertInto('settings').values({ key: 'first_admin_created', value: isoNow(deps.clock) }).onConflict((oc) => oc.column('key').doNothing()).returning('key').executeTakeFirst();
      if (!claimed) throw new Conflict('The site is already set up. Sign in instead.');
    }
    if (await users.findUserByEmail(tx, input.email)) throw new ValidationError({ email: 'A user with this email address already exists.' });
    const now = isoNow(deps.clock);
    const name = input.displayName.trim();
    // Every user gets a byline profile of their own, even when someone (or a demo author) has the same name:
    // ownership of articles follows this profile, so it must never be shared by accident.
    const authorId = await insertAuthorWithFreeSlug(tx, { slug: slugFor(name, 'author'), name }, now);
    const id = await users.insertUser(tx, { email: input.email, display_name: name, role: input.role as Role, password_hash: passwordHash, author_id: authorId, now });
    return { id, email: input.email.trim().toLowerCase(), displayName: name, role: input.role as Role, authorId };
  });
}

/** True while the site has no user: /admin then offers the one-time setup form. */
export async function needsSetup(db: DB): Promise<boolean> {
  return (await users.countUsers(db)) === 0;
}

/** Creates the first admin; Conflict once any user exists (the setup form is one-time). */
export async function setupFirstAdmin(deps: AccountDeps, input: Omit<NewUserInput, 'role'>): Promise<NewsroomUser> {
  if (!(await needsSetup(deps.db))) throw new Conflict('The site is already set up. Sign in instead.');
  return createUser(deps, { ...input, role: 'admin' }, { firstAdmin: true });
}

export interface LoginRequest {
  email: string;
  password: string;
  ip: string;
  userAgent: string;
}

/**
 * Checks credentials (throttled per account and per IP) and opens a new session. Returns the session token for
 * the cookie. Throws RateLimited while locked and ValidationError (field: password) for wrong credentials.
 */
export async function login(deps: AccountDeps, request: LoginRequest): Promise<{ token: string; user: NewsroomUser }> {
  const ipHash = hashIp(deps.secret, request.ip);
  const keys = [
    { key: accountKey(request.email), what: 'for this account' },
    { key: ipKey(ipHash), what: 'from your network' },
  ];
  await assertNotLocked(deps.db, deps.clock, keys);
  const row = await users.findUserByEmail(deps.db, request.email);
  const hash = row?.password_hash && !row.disabled ? row.password_hash : await decoyPasswordHash();
  const ok = (await verifyPassword(hash, request.password)) && row !== undefined && !row.disabled && row.password_hash !== null;
  if (!ok || !row) {
    await recordFailure(deps.db, deps.clock, keys[0]!.key, THROTTLE_POLICY.accountFailures);
    await recordFailure(deps.db, deps.clock, keys[1]!.key, THROTTLE_POLICY.ipFailures);
    throw new ValidationError({ password: 'The email address or password is not right.' });
  }
  await recordSuccess(deps.db, keys[0]!.key);
  const token = await openSession(deps, row.id, ipHash, request.userAgent);
  return { token, user: toNewsroomUser(row) };
}

/** Stores a new session for `userId` and returns its token (always a fresh one: sessions rotate on every login). */
export async function openSession(deps: AccountDeps, userId: number, ipHash: string, userAgent: string): Promise<string> {
  const token = newToken();
  const now = deps.clock.now();
  await sessions.insertSession(deps.db, {
    id: tokenHash(token),
    user_id: userId,
    created_at: now.toISOString(),
    last_seen_at: now.toISOString(),
    expires_at: new Date(now.getTime() + SESSION_POLICY.absoluteMs).toISOString(),
    ip_hash: ipHash,
    user_agent: userAgent.slice(0, 500),
  });
  return token;
}

/** The user of a live session, or undefined (unknown, idle too long, past its absolute expiry, or user disabled). */
export async function sessionUser(deps: AccountDeps, token: string | undefined): Promise<NewsroomUser | undefined> {
  if (!token) return undefined;
  const found = await sessions.findSessionWithUser(deps.db, tokenHash(token));
  if (!found) return undefined;
  const now = deps.clock.now().getTime();
  const { session, user } = found;
  if (now >= Date.parse(session.expires_at) || now - Date.parse(session.last_seen_at) >= SESSION_POLICY.idleMs || user.disabled) {
    await sessions.deleteSession(deps.db, session.id);
    return undefined;
  }
  if (now - Date.parse(session.last_seen_at) >= SESSION_POLICY.touchEveryMs) await sessions.touchSession(deps.db, session.id, new Date(now).toISOString());
  return toNewsroomUser(user);
}

export async function logout(deps: AccountDeps, token: string | undefined): Promise<void> {
  if (token) await sessions.deleteSession(deps.db, tokenHash(token));
}

/**
 * Changes the signed-in user's own password after checking the current one; every other session of theirs ends
 * (the one in use stays). Throws ValidationError (fields current_password, new_password).
 */
export async function changeOwnPassword(deps: AccountDeps, user: NewsroomUser, currentToken: string, current: string, next: string): Promise<void> {
  const row = await users.findUserById(deps.db, user.id);
  if (!row?.password_hash || !(await verifyPassword(row.password_hash, current))) throw new ValidationError({ current_password: 'This is not your current password.' });
  const problem = passwordProblem(next, row.email);
  if (problem) throw new ValidationError({ new_password: problem });
  const hash = await hashPassword(next);
  await deps.db.transaction().execute(async (tx) => {
    await users.setPasswordHash(tx, user.id, hash, isoNow(deps.clock));
    await sessions.deleteOtherSessions(tx, user.id, tokenHash(currentToken));
  });
}
