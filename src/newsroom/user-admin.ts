/** Managing newsroom users (admins): change a role, disable or re-enable an account; never locking the site out. */
import type { DB } from '../db/database.ts';
import { isoNow, type Clock } from '../lib/clock.ts';
import { NotFound, ValidationError } from '../lib/errors.ts';
import type { NewsroomUser } from './accounts.ts';
import { isRole, requireCan } from './roles.ts';
import { deleteSessionsOfUser } from './sessions-store.ts';
import * as users from './users-store.ts';

/**
 * Applies `change` to user `userId`. Disabling ends the user's sessions at once. Refuses (ValidationError, field
 * `role`) to change one's own account or to leave the site without an active admin. Throws Forbidden, NotFound.
 */
export async function changeUser(deps: { db: DB; clock: Clock }, actor: NewsroomUser, userId: number, change: { role?: string; disabled?: boolean }): Promise<void> {
  requireCan(actor, 'users.manage');
  if (userId === actor.id) throw new ValidationError({ role: 'You cannot change your own role or disable yourself; ask another admin.' });
  await deps.db.transaction().execute(async (tx) => {
    const user = await users.findUserById(tx, userId);
    if (!user) throw new NotFound('No such user');
    const now = isoNow(deps.clock);
    if (change.role !== undefined) {
      if (!isRole(change.role)) throw new ValidationError({ role: 'Choose a role: contributor, author, editor or admin.' });
      await users.updateUserRole(tx, userId, change.role, now);
    }
    if (change.disabled !== undefined) {
      await users.setUserDisabled(tx, userId, change.disabled, now);
      if (change.disabled) await deleteSessionsOfUser(tx, userId);
    }
    if ((await users.countActiveAdmins(tx)) === 0) throw new ValidationError({ role: 'The site needs at least one active admin.' });
  });
}
