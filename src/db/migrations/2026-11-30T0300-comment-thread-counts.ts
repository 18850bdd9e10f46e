/**
 * The redirect after posting names the page of the thread that shows the new comment, so every post counted the
 * threads before it (comments/store.ts): from comments_thread_starts_idx, that read every thread of the article, a
 * cost that grew with it (0.7 ms on SQLite at 3,000 threads; on PostgreSQL more, with a heap fetch per new row).
 * `comment_thread_counts.plain_threads` counts an article's plain threads: approved top-level comments, not erased
 * (with parent_approved = 0, as every top-level comment has); an article without one has no row. The database keeps
 * it, whichever code writes (a post, a moderator, an erasure, a deletion, a parent deleted with ON DELETE SET NULL,
 * an import): triggers on insert, on delete and on update of the columns it depends on. A table of its own rather
 * than a column of `articles`: a change rewrites a row of two integers, not the article's (its body included, on
 * SQLite), and leaves the articles table unbloated on PostgreSQL. The other thread starts (a reply whose parent
 * readers do not see, an erased comment kept for its replies) are few, and comments_other_thread_starts_idx lists
 * them without the plain ones, so "threads before the newest" is the count less the few plain threads after it plus
 * those few. Dialect SQL lives here rather than in db/dialect.ts because migrations never import app code.
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';

/** A plain thread, as SQL over the trigger's row (`old` or `new`). */
const plain = (row: 'old' | 'new') => sql.raw(`${row}.status = 'approved' and ${row}.parent_id is null and ${row}.erased_at is null and ${row}.parent_approved = 0`);

const ADD = sql`insert into comment_thread_counts (article_id, plain_threads) values (new.article_id, 1)
  on conflict (article_id) do update set plain_threads = comment_thread_counts.plain_threads + 1`;
const REMOVE = sql`update comment_thread_counts set plain_threads = plain_threads - 1 where article_id = old.article_id`;

const SQLITE_TRIGGERS = [
  sql`create trigger comments_thread_count_insert after insert on comments when ${plain('new')} begin ${ADD}; end`,
  sql`create trigger comments_thread_count_delete after delete on comments when ${plain('old')} begin ${REMOVE}; end`,
  // Also fired by ON DELETE SET NULL of a deleted parent, and by the parent_approved triggers.
  sql`create trigger comments_thread_count_update after update of article_id, parent_id, status, erased_at, parent_approved on comments
        when (${plain('old')}) <> (${plain('new')}) or old.article_id <> new.article_id begin
        update comment_thread_counts set plain_threads = plain_threads - 1 where article_id = old.article_id and ${plain('old')};
        insert into comment_thread_counts (article_id, plain_threads) select new.article_id, 1 where ${plain('new')}
          on conflict (article_id) do update set plain_threads = comment_thread_counts.plain_threads + 1;
      end`,
];

const POSTGRES_TRIGGERS = [
  sql`create function comments_thread_count() returns trigger language plpgsql as $$
      begin
        if tg_op <> 'INSERT' and ${plain('old')} then
          ${REMOVE};
        end if;
        if tg_op <> 'DELETE' and ${plain('new')} then
          ${ADD};
        end if;
        return null;
      end $$`,
  sql`create trigger comments_thread_count_insert after insert on comments for each row when (${plain('new')}) execute function comments_thread_count()`,
  sql`create trigger comments_thread_count_delete after delete on comments for each row when (${plain('old')}) execute function comments_thread_count()`,
  // After comments_parent_approved_row (a BEFORE trigger) has set new.parent_approved; also fired by ON DELETE SET NULL.
  sql`create trigger comments_thread_count_update after update of article_id, parent_id, status, erased_at, parent_approved on comments for each row
        when ((${plain('old')}) is distinct from (${plain('new')}) or old.article_id <> new.article_id) execute function comments_thread_count()`,
];

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('comment_thread_counts')
    .addColumn('article_id', 'integer', (c) => c.primaryKey().references('articles.id').onDelete('cascade'))
    .addColumn('plain_threads', 'integer', (c) => c.notNull())
    .execute();
  await db
    .insertInto('comment_thread_counts')
    .columns(['article_id', 'plain_threads'])
    .expression((eb) =>
      eb
        .selectFrom('comments as c')
        .select(['c.article_id', (eb2) => eb2.fn.countAll().as('n')])
        .where('c.status', '=', 'approved')
        .where('c.parent_id', 'is', null)
        .where('c.erased_at', 'is', null)
        .where('c.parent_approved', '=', 0)
        .groupBy('c.article_id'),
    )
    .execute();
  for (const statement of postgres ? POSTGRES_TRIGGERS : SQLITE_TRIGGERS) await statement.execute(db);
  // The columns of comments_thread_starts_idx, so that SQLite, weighing the two alike, takes the partial one; its
  // condition holds no value a query passes as a parameter (status), so that a prepared statement proves it.
  await db.schema
    .createIndex('comments_other_thread_starts_idx')
    .on('comments')
    .columns(['article_id', 'status', 'parent_approved', 'created_at', 'id', 'parent_id', 'erased_at'])
    .where((eb) => eb.and([eb(sql.ref('parent_approved'), '=', 0), eb.or([eb('parent_id', 'is not', null), eb('erased_at', 'is not', null)])]))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema.dropIndex('comments_other_thread_starts_idx').execute();
  for (const name of ['comments_thread_count_update', 'comments_thread_count_delete', 'comments_thread_count_insert']) {
    await (postgres ? sql`drop trigger ${sql.id(name)} on comments` : sql`drop trigger ${sql.id(name)}`).execute(db);
  }
  if (postgres) await sql`drop function comments_thread_count()`.execute(db);
  await db.schema.dropTable('comment_thread_counts').execute();
}
