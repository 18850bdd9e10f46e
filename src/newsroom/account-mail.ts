/** Password reset and invitations: one-time tokens (SHA-256 stored, 1 h / 7 d lifetime) sent by email. */
import type { Mailer } from '../lib/mailer.ts';
import { isoNow } from '../lib/clock.ts';
import { NotFound, ValidationError } from '../lib/errors.ts';
import { createUser, newToken, tokenHash, toNewsroomUser, type AccountDeps, type NewsroomUser } from './accounts.ts';
import { hashPassword, passwordProblem } from './passwords.ts';
import { accountKey, recordSuccess } from './throttle.ts';
import * as sessions from './sessions-store.ts';
import * as users from './users-store.ts';

const HOUR_MS = 3_600_000;
export const TOKEN_LIFETIME_MS = { reset: HOUR_MS, invite: 7 * 24 * HOUR_MS } as const;
/** Least time between two reset mails to one account, in ms. */
export const RESET_MAIL_INTERVAL_MS = 5 * 60_000;

export interface MailDeps extends AccountDeps {
  mailer: Mailer;
  siteName: string;
  /** Absolute origin for links in mail. */
  siteUrl: string;
}

async function issueToken(deps: AccountDeps, userId: number, purpose: 'reset' | 'invite'): Promise<string> {
  const token = newToken();
  const now = deps.clock.now();
  await sessions.insertUserToken(deps.db, {
    token_hash: tokenHash(token),
    user_id: userId,
    purpose,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + TOKEN_LIFETIME_MS[purpose]).toISOString(),
    used_at: null,
  });
  return token;
}

/**
 * Emails a reset link when `email` belongs to an active user (a fresh invitation when they never chose a password),
 * at most once every few minutes. Says nothing either way to the caller, so the form cannot be used to find out
 * who has an account.
 */
export async function requestPasswordReset(deps: MailDeps, email: string): Promise<void> {
  const user = await users.findUserByEmail(deps.db, email);
  if (!user || user.disabled) return;
  // One mail per account every few minutes: the form must not become a way to flood someone's inbox.
  const since = new Date(deps.clock.now().getTime() - RESET_MAIL_INTERVAL_MS).toISOString();
  if (await sessions.recentTokenExists(deps.db, user.id, user.password_hash ? 'reset' : 'invite', since)) return;
  // Someone invited who never chose a password (or lost the mail) gets a fresh invitation instead.
  if (!user.password_hash) {
    await sessions.spendUserTokens(deps.db, user.id, 'invite', isoNow(deps.clock));
    return sendInvitation(deps, { id: user.id, email: user.email, displayName: user.display_name, role: user.role }, 'An administrator');
  }
  const token = await issueToken(deps, user.id, 'reset');
  await deps.mailer.send({
    to: user.email,
    subject: `Reset your ${deps.siteName} password`,
    text: [
      `Hello ${user.display_name},`,
      '',
      `Someone (we hope you) asked to reset the password of your ${deps.siteName} newsroom account.`,
      'Choose a new password here within the next hour:',
      '',
      `${deps.siteUrl}/admin/password/reset?token=${token}`,
      '',
      'If you did not ask for this, ignore this message: your password stays as it is.',
    ].join('\n'),
  });
}

/** Invites a new user by email; they choose their password from the link. Throws ValidationError for bad fields. */
/** Sends (or sends again) the invitation mail of a user who has not chosen a password yet. */
async function sendInvitation(deps: MailDeps, user: { id: number; email: string; displayName: string; role: string }, inviterName: string): Promise<void> {
  const token = await issueToken(deps, user.id, 'invite');
  await deps.mailer.send({
    to: user.email,
    subject: `You are invited to the newsroom of ${deps.siteName}`,
    text: [
      `Hello ${user.displayName},`,
      '',
      `${inviterName} invited you to the ${deps.siteName} newsroom as ${/^[aeiou]/.test(user.role) ? 'an' : 'a'} ${user.role}.`,
      'Choose your password here within seven days:',
      '',
      `${deps.siteUrl}/admin/invitation?token=${token}`,
    ].join('\n'),
  });
}

/** Invites a new user by email; they choose their password from the link. Throws ValidationError for bad fields. */
export async function inviteUser(deps: MailDeps, inviter: NewsroomUser, input: { email: string; displayName: string; role: string }): Promise<NewsroomUser> {
  const user = await createUser(deps, input);
  try {
    await sendInvitation(deps, user, inviter.displayName);
  } catch (error) {
    // Without the mail the invitation cannot be used: take the half-made account back so it can be sent again.
    await users.deleteUser(deps.db, user.id);
    throw new ValidationError({ email: `The invitation could not be sent (${error instanceof Error ? error.message : 'mail error'}). Nothing was saved; try again once mail works.` });
  }
  return user;
}

/** Sends a fresh invitation to an invited user who has not set a password (admins). Throws NotFound, ValidationError. */
export async function resendInvitation(deps: MailDeps, inviter: NewsroomUser, userId: number): Promise<void> {
  const user = await users.findUserById(deps.db, userId);
  if (!user || user.disabled) throw new NotFound('No such user');
  if (user.password_hash) throw new ValidationError({ email: `${user.email} has already accepted the invitation.` });
  await sessions.spendUserTokens(deps.db, user.id, 'invite', isoNow(deps.clock));
  await sendInvitation(deps, { id: user.id, email: user.email, displayName: user.display_name, role: user.role }, inviter.displayName);
}

/** True while `token` can still be used for `purpose` (to decide whether to show the password form). */
export async function tokenUsable(deps: AccountDeps, token: string, purpose: 'reset' | 'invite'): Promise<boolean> {
  return sessions.userTokenUsable(deps.db, tokenHash(token), purpose, isoNow(deps.clock));
}

/**
 * Sets a new password from a reset or invitation token, once: the token is spent and every existing session of
 * the user ends. Throws ValidationError (fields: password, token).
 */
export async function setPasswordWithToken(deps: AccountDeps, token: string, purpose: 'reset' | 'invite', password: string): Promise<NewsroomUser> {
  const now = isoNow(deps.clock);
  return deps.db.transaction().execute(async (tx) => {
    const userId = await sessions.consumeUserToken(tx, tokenHash(token), purpose, now);
    const user = userId === undefined ? undefined : await users.findUserById(tx, userId);
    if (!user) throw new ValidationError({ token: 'This link has expired or was already used. Ask for a new one.' });
    const problem = passwordProblem(password, user.email);
    if (problem) throw new ValidationError({ password: problem });
    await users.setPasswordHash(tx, user.id, await hashPassword(password), now);
    await sessions.deleteSessionsOfUser(tx, user.id);
    // Older links stop working, and a lock from wrong guesses ends: the owner has just proved who they are.
    await sessions.spendUserTokens(tx, user.id, purpose, now);
    await recordSuccess(tx, accountKey(user.email));
    return toNewsroomUser(user);
  });
}
