/**
 * Comment threads read a page at a time (comments/store.ts threadPage). A thread starts at a comment readers see
 * whose parent they do not see (none, or one held, caught as spam or trashed): finding the top-level threads of a
 * page must not look up every reply's parent. `comments.parent_approved` (0/1) says whether the comment's parent
 * exists and is approved; 0 for a top-level comment. The database keeps it, whichever code writes (a post, a
 * moderator, an import, a bulk load, a parent deleted with ON DELETE SET NULL): triggers set it when a comment is
 * inserted or moved to another parent, and pass a status change of a comment on to its replies. The index serves
 * the top-level threads of an article in order, counted and paged from the index alone; the replies index (in place
 * of the parent_id one, whose lookups it serves as well) the replies readers see, oldest first.
 * Dialect SQL lives here rather than in db/dialect.ts because migrations never import app code.
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';

const SQLITE_TRIGGERS = [
  // A parent inserted after its replies (possible within one multi-row INSERT) passes its status on as well.
  sql`create trigger comments_parent_approved_insert after insert on comments begin
        update comments set parent_approved = coalesce((select p.status = 'approved' from comments p where p.id = new.parent_id), 0)
          where id = new.id and new.parent_id is not null;
        update comments set parent_approved = (new.status = 'approved') where parent_id = new.id;
      end`,
  // Also fired by ON DELETE SET NULL of a deleted parent.
  sql`create trigger comments_parent_approved_move after update of parent_id on comments begin
        update comments set parent_approved = coalesce((select p.status = 'approved' from comments p where p.id = new.parent_id), 0) where id = new.id;
      end`,
  sql`create trigger comments_parent_approved_status after update of status on comments when (old.status = 'approved') <> (new.status = 'approved') begin
        update comments set parent_approved = (new.status = 'approved') where parent_id = new.id;
      end`,
];

const POSTGRES_TRIGGERS = [
  sql`create function comments_parent_approved_of_row() returns trigger language plpgsql as $$
      begin
        new.parent_approved := coalesce((select case when p.status = 'approved' then 1 else 0 end from comments p where p.id = new.parent_id), 0);
        return new;
      end $$`,
  sql`create function comments_parent_approved_of_replies() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' or (old.status = 'approved') <> (new.status = 'approved') then
          update comments set parent_approved = case when new.status = 'approved' then 1 else 0 end where parent_id = new.id;
        end if;
        return null;
      end $$`,
  // Also fired by ON DELETE SET NULL of a deleted parent (PostgreSQL runs it as an UPDATE of parent_id).
  sql`create trigger comments_parent_approved_row before insert or update of parent_id on comments
        for each row execute function comments_parent_approved_of_row()`,
  sql`create trigger comments_parent_approved_replies after insert or update of status on comments
        for each row execute function comments_parent_approved_of_replies()`,
];

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema.alterTable('comments').addColumn('parent_approved', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db
    .updateTable('comments')
    .set({ parent_approved: 1 })
    .where('parent_id', 'in', db.selectFrom('comments as parent').select('parent.id').where('parent.status', '=', 'approved'))
    .execute();
  for (const statement of postgres ? POSTGRES_TRIGGERS : SQLITE_TRIGGERS) await statement.execute(db);
  await db.schema
    .createIndex('comments_thread_starts_idx')
    .on('comments')
    .columns(['article_id', 'status', 'parent_approved', 'created_at', 'id', 'parent_id', 'erased_at'])
    .execute();
  await db.schema.createIndex('comments_replies_idx').on('comments').columns(['parent_id', 'status', 'created_at', 'id']).execute();
  await db.schema.dropIndex('comments_parent_idx').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema.createIndex('comments_parent_idx').on('comments').column('parent_id').execute();
  await db.schema.dropIndex('comments_replies_idx').execute();
  await db.schema.dropIndex('comments_thread_starts_idx').execute();
  if (postgres) {
    await sql`drop trigger comments_parent_approved_replies on comments`.execute(db);
    await sql`drop trigger comments_parent_approved_row on comments`.execute(db);
    await sql`drop function comments_parent_approved_of_replies()`.execute(db);
    await sql`drop function comments_parent_approved_of_row()`.execute(db);
  } else {
    for (const name of ['comments_parent_approved_status', 'comments_parent_approved_move', 'comments_parent_approved_insert']) await sql`drop trigger ${sql.id(name)}`.execute(db);
  }
  await db.schema.alterTable('comments').dropColumn('parent_approved').execute();
}
