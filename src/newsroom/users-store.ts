/** SQL for newsroom users. */
import type { DB } from '../db/database.ts';
import type { Role, UserRow } from '../db/schema.ts';

const USER_COLUMNS = ['id', 'email', 'display_name', 'role', 'password_hash', 'author_id', 'disabled', 'created_at', 'updated_at'] as const;

export async function countUsers(db: DB): Promise<number> {
  const { count } = await db.selectFrom('users').select((eb) => eb.fn.countAll<string | number>().as('count')).executeTakeFirstOrThrow();
  return Number(count);
}

export async function findUserByEmail(db: DB, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').select(USER_COLUMNS).where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
}

export async function findUserById(db: DB, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').select(USER_COLUMNS).where('id', '=', id).executeTakeFirst();
}

export async function listUsers(db: DB): Promise<UserRow[]> {
  return db.selectFrom('users').select(USER_COLUMNS).orderBy('display_name').execute();
}

export async function insertUser(db: DB, user: { email: string; display_name: string; role: Role; password_hash: string | null; author_id: number | null; now: string }): Promise<number> {
  const { now, ...fields } = user;
  const { id } = await db
    .insertInto('users')
    .values({ ...fields, email: fields.email.trim().toLowerCase(), created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function setPasswordHash(db: DB, userId: number, passwordHash: string, now: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash, updated_at: now }).where('id', '=', userId).execute();
}

export async function updateUserRole(db: DB, userId: number, role: Role, now: string): Promise<void> {
  await db.updateTable('users').set({ role, updated_at: now }).where('id', '=', userId).execute();
}

export async function setUserDisabled(db: DB, userId: number, disabled: boolean, now: string): Promise<void> {
  await db.updateTable('users').set({ disabled: disabled ? 1 : 0, updated_at: now }).where('id', '=', userId).execute();
}

export async function countActiveAdmins(db: DB): Promise<number> {
  const { count } = await db.selectFrom('users').select((eb) => eb.fn.countAll<string | number>().as('count')).where('role', '=', 'admin').where('disabled', '=', 0).executeTakeFirstOrThrow();
  return Number(count);
}

export async function deleteUser(db: DB, userId: number): Promise<void> {
  await db.deleteFrom('users').where('id', '=', userId).execute();
}
