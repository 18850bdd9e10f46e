/** SQL for reader comments. Public reads select explicit columns and never the commenter's email. */
import type { DB } from '../db/database.ts';
import type { ExpressionBuilder, Insertable } from 'kysely';
import { publiclyVisible } from '../articles/store.ts';
import type { CommentingStatus, CommentRow, CommentStatus, CommentTable, Database } from '../db/schema.ts';
import { reusableQuery } from '../db/reusable-query.ts';

export async function insertComment(db: DB, row: Insertable<CommentTable>): Promise<number> {
  const { id } = await db.insertInto('comments').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

/** A new comment as a reader posted it (comment.created_at is also the time of its 'posted' event). */
export type NewComment = Omit<Insertable<CommentTable>, 'moderation_reason' | 'status'> & { article_id: number; created_at: string; status: CommentStatus; moderation_reason: string };

/**
 * Stores a reader's new comment with its 'posted' event (the pipeline's reason) and, when it is approved, one more
 * on its article's comment count, all or nothing; resolves with its id once that is committed. The comments posted
 * meanwhile are written together, a transaction and a commit for them all: those that arrive within a turn of the
 * event loop, or while a transaction is writing. On SQLite each commit writes the changed pages to the WAL; on
 * PostgreSQL each commit waits for its WAL flush while holding the article's row lock (the comment count), so that
 * posts to one busy article, written one by one, queue behind each other's flushes (a single-statement write per
 * post reached ~630 commits/s on one article with pgbench, where the same write to random articles reached ~2,260).
 * Rejects with the database's error when the comment cannot be stored (e.g. its article was deleted meanwhile).
 */
export function insertPostedComment(db: DB, comment: NewComment): Promise<number> {
  let queue = pendingWrites.get(db);
  if (!queue) pendingWrites.set(db, (queue = { waiting: [], writing: false }));
  const written = new Promise<number>((resolve, reject) => queue.waiting.push({ comment, resolve, reject }));
  if (!queue.writing) {
    queue.writing = true;
    // A turn of the event loop first: the posts being checked meanwhile come to wait here too (on SQLite their
    // queries need the one connection a transaction would hold).
    setImmediate(() => void writeWaiting(db, queue));
  }
  return written;
}

interface WriteQueue {
  waiting: { comment: NewComment; resolve(id: number): void; reject(error: unknown): void }[];
  /** A transaction is writing comments now. */
  writing: boolean;
}

/** The new comments waiting to be written to each database. */
const pendingWrites = new WeakMap<DB, WriteQueue>();

/** Comments written by one transaction at most. */
const WRITE_BATCH = 64;

/** Writes the waiting comments, a transaction per batch; when a batch fails, each of its comments on its own. */
async function writeWaiting(db: DB, queue: WriteQueue): Promise<void> {
  try {
    while (queue.waiting.length) {
      const batch = queue.waiting.splice(0, WRITE_BATCH);
      try {
        const ids = await db.transaction().execute((tx) => writePostedComments(tx, batch.map((write) => write.comment)));
        batch.forEach((write, i) => write.resolve(ids[i]!));
      } catch (error) {
        if (batch.length === 1) batch[0]!.reject(error);
        else for (const write of batch) await db.transaction().execute((tx) => writePostedComments(tx, [write.comment])).then(([id]) => write.resolve(id!), write.reject);
      }
    }
  } finally {
    queue.writing = false;
  }
}

/**
 * insertPostedComment for several comments in the caller's transaction: the comments in one statement, their events
 * in another, one count update per article. Both databases number the rows of one INSERT in the order of its VALUES
 * (SQLite: each new rowid is the largest so far plus one; PostgreSQL: the id sequence is drawn row by row), though
 * RETURNING may list them in any order: sorted, the ids line up with `comments`.
 */
async function writePostedComments(tx: DB, comments: readonly NewComment[]): Promise<number[]> {
  const inserted = await tx.insertInto('comments').values([...comments]).returning('id').execute();
  const ids = inserted.map((row) => row.id).sort((a, b) => a - b);
  await tx
    .insertInto('comment_events')
    .values(comments.map((comment, i) => ({ comment_id: ids[i]!, created_at: comment.created_at, user_id: null, action: 'posted', status: comment.status, reason: comment.moderation_reason })))
    .execute();
  const approved = new Map<number, number>();
  for (const comment of comments) if (comment.status === 'approved') approved.set(comment.article_id, (approved.get(comment.article_id) ?? 0) + 1);
  for (const [articleId, n] of approved) await adjustCommentCount(tx, articleId, n);
  return ids;
}

/** What posting a comment needs of its article, and the stored comment settings (JSON, null when never saved). */
export interface CommentTargetRow {
  id: number;
  slug: string;
  comment_status: CommentingStatus;
  published_at: string;
  settings: string | null;
}

/**
 * The article at `slug` if readers may see it at `now` (ISO-8601), with the settings value stored under
 * `settingsKey`: one short statement, built once (the article page's statement reads the article whole).
 */
export async function findCommentTarget(db: DB, slug: string, now: string, settingsKey: string): Promise<CommentTargetRow | undefined> {
  const [row] = await commentTargetQuery(db, {}, { slug, now, settingsKey });
  return row;
}

const commentTargetQuery = reusableQuery('commentTarget', (db: DB, _options: Record<string, never>, values: { slug: string; now: string; settingsKey: string }) =>
  db
    .selectFrom('articles')
    .select(['articles.id', 'articles.slug', 'articles.comment_status'])
    .select((eb) => [eb.ref('articles.published_at').$castTo<string>().as('published_at'), eb.selectFrom('settings').select('settings.value').where('settings.key', '=', values.settingsKey).as('settings')])
    .where('articles.slug', '=', values.slug)
    .where(publiclyVisible(values.now)),
);

/** What the posting pipeline's checks need to know from the database about a new comment, read at once. */
export interface PostingFacts {
  /** Bans (comment_bans) on the email address, the IP hash and the network hash. */
  banned: { email: boolean; ip: boolean; network: boolean };
  /** The address has an approved comment (asked only with `firstTime`). */
  approvedBefore: boolean;
  /** The address already posted this text on this article (not trashed). */
  duplicate: boolean;
  /** A comment from the address or the network since `floodSince` (asked only with `floodSince`). */
  recent: boolean;
  /** The replied-to comment if it is on this article (asked only with `parentId`). */
  parent?: { status: CommentStatus; erased: boolean };
}

/**
 * Every database question of the posting pipeline (comments/pipeline.ts) in ONE statement of EXISTS lookups, each on
 * an index: bans, the address's earlier approved comment (`firstTime`), the duplicate, the flood interval
 * (`floodSince`, ISO-8601; by address, and by network when `networkHash` is not ''), and the parent (`parentId`).
 */
export async function findPostingFacts(
  db: DB,
  ask: { firstTime: boolean; floodSince?: string; parentId?: number },
  about: { articleId: number; email: string; body: string; ipHash: string; networkHash: string },
): Promise<PostingFacts> {
  const options = { firstTime: ask.firstTime, flood: ask.floodSince === undefined ? ('no' as const) : about.networkHash ? ('network' as const) : ('email' as const), parent: ask.parentId !== undefined };
  const [row] = await postingFactsQuery(db, options, { ...about, floodSince: ask.floodSince ?? '', parentId: ask.parentId ?? 0 });
  const yes = (value: unknown): boolean => Boolean(Number(value));
  return {
    banned: { email: yes(row!.email_banned), ip: yes(row!.ip_banned), network: yes(row!.network_banned) },
    approvedBefore: yes(row!.approved_before),
    duplicate: yes(row!.duplicate),
    recent: yes(row!.recent),
    parent: row!.parent_status === null || row!.parent_status === undefined ? undefined : { status: row!.parent_status, erased: row!.parent_erased !== null },
  };
}

const postingFactsQuery = reusableQuery(
  'postingFacts',
  (
    db: DB,
    options: { firstTime: boolean; flood: 'no' | 'email' | 'network'; parent: boolean },
    values: { articleId: number; email: string; body: string; ipHash: string; networkHash: string; floodSince: string; parentId: number },
  ) => {
    const ban = (eb: ExpressionBuilder<Database, never>, kind: 'email' | 'ip' | 'network', value: string) =>
      eb.exists(eb.selectFrom('comment_bans').select('comment_bans.kind').where('comment_bans.kind', '=', kind).where('comment_bans.value', '=', value));
    const byAddress = (eb: ExpressionBuilder<Database, never>) => eb.selectFrom('comments').select('comments.id').where('comments.author_email', '=', values.email);
    return db.selectNoFrom((eb) => [
      ban(eb, 'email', values.email).as('email_banned'),
      ban(eb, 'ip', values.ipHash).as('ip_banned'),
      ban(eb, 'network', values.networkHash).as('network_banned'),
      (options.firstTime ? eb.exists(byAddress(eb).where('comments.status', '=', 'approved')) : eb.lit(0)).as('approved_before'),
      eb.exists(byAddress(eb).where('comments.article_id', '=', values.articleId).where('comments.body', '=', values.body).where('comments.status', '!=', 'trash')).as('duplicate'),
      (options.flood === 'no'
        ? eb.lit(0)
        : eb.exists(
            eb
              .selectFrom('comments')
              .select('comments.id')
              .where('comments.created_at', '>', values.floodSince)
              .where((eb2) => (options.flood === 'network' ? eb2.or([eb2('comments.author_email', '=', values.email), eb2('comments.network_hash', '=', values.networkHash)]) : eb2('comments.author_email', '=', values.email))),
          )
      ).as('recent'),
      (options.parent ? eb.selectFrom('comments').select('comments.status').where('comments.id', '=', values.parentId).where('comments.article_id', '=', values.articleId) : eb.lit(null)).$castTo<CommentStatus | null>().as('parent_status'),
      (options.parent ? eb.selectFrom('comments').select('comments.erased_at').where('comments.id', '=', values.parentId).where('comments.article_id', '=', values.articleId) : eb.lit(null)).$castTo<string | null>().as('parent_erased'),
    ]);
  },
);

/*
 * Threads as readers see them, read a page at a time. A reader sees the approved comments and their own held ones
 * (`ownIds`: held or caught as spam, which their author sees as "awaiting moderation" alike, so a spammer learns
 * nothing). A thread starts at a comment they see whose parent they do not see: a top-level comment, or a reply
 * whose parent is held, spam or trashed, which hangs from a placeholder for that parent (one thread per hidden
 * parent, placed by its oldest visible reply). An erased top-level comment starts a thread only while replies hang
 * from it. With `flat` (the deepest reply level is 1) every comment the reader sees, erased ones aside, is a thread
 * of its own. Threads are ordered by their start's (created_at, id); comments.parent_approved (kept by triggers)
 * lets the index list thread starts without looking up every reply's parent.
 */

export interface ThreadReader {
  /** Ids from the reader's signed commenter cookie (at most a few dozen). */
  ownIds: readonly number[];
  /** Every comment is its own thread (the deepest reply level is 1). */
  flat: boolean;
}

const OWN_HELD: CommentStatus[] = ['pending', 'spam'];

/** Where a thread sits in the order: its start's creation time and id. */
export interface ThreadKey {
  createdAt: string;
  id: number;
}

/** `alias` (a `comments` row) is a comment the reader sees. */
function seenBy(ownIds: readonly number[], alias: string) {
  return (eb: ExpressionBuilder<any, any>) =>
    ownIds.length
      ? eb.or([eb(`${alias}.status`, '=', 'approved'), eb.and([eb(`${alias}.id`, 'in', [...ownIds]), eb(`${alias}.status`, 'in', OWN_HELD)])])
      : eb(`${alias}.status`, '=', 'approved');
}

/** A reply to `parent` (a reference, e.g. 'c.id') that the reader sees exists; `before`: only one older than `alias`. */
function seenReply(ownIds: readonly number[], parent: string, before?: string) {
  return (eb: ExpressionBuilder<any, any>) => {
    let replies = eb.selectFrom('comments as reply').select('reply.id').whereRef('reply.parent_id', '=', parent).where(seenBy(ownIds, 'reply'));
    if (before) replies = replies.where((eb2) => eb2(eb2.refTuple('reply.created_at', 'reply.id'), '<', eb2.refTuple(`${before}.created_at`, `${before}.id`)));
    return eb.exists(replies);
  };
}

/**
 * The thread starts of an article (columns id, parent_id, created_at; a parent_id marks a placeholder's thread),
 * optionally only those before or after `bound`. The approved ones come from comments_thread_starts_idx in order;
 * the reader's own held ones, a handful, in a second branch.
 */
function threadStarts(db: DB, articleId: number, reader: ThreadReader, bound?: { comparison: '<' | '>'; key: ThreadKey }, othersOnly = false) {
  const branch = (approved: boolean) => {
    let query = db
      .selectFrom('comments as c')
      .select(['c.id', 'c.parent_id', 'c.created_at'])
      .where('c.article_id', '=', articleId)
      .where((eb) => (approved ? eb('c.status', '=', 'approved') : eb.and([eb('c.id', 'in', [...reader.ownIds]), eb('c.status', 'in', OWN_HELD)])));
    if (reader.flat) query = query.where('c.erased_at', 'is', null);
    else {
      // The parent is not seen: none, not approved, and not one of the reader's own held comments.
      // A literal: SQLite prepares anew at every run a statement whose bound value it compared with the condition
      // of a partial index (comments_other_thread_starts_idx, `parent_approved = 0`).
      query = query.where('c.parent_approved', '=', (eb) => eb.lit(0));
      if (reader.ownIds.length) {
        const ownHeld = db.selectFrom('comments as own').select('own.id').where('own.id', 'in', [...reader.ownIds]).where('own.status', 'in', OWN_HELD);
        query = query.where((eb) => eb.or([eb('c.parent_id', 'is', null), eb('c.parent_id', 'not in', ownHeld)]));
      }
      query = query
        // One thread per hidden parent, started by the oldest reply to it that the reader sees.
        .where((eb) => eb.or([eb('c.parent_id', 'is', null), eb.not(seenReply(reader.ownIds, 'c.parent_id', 'c')(eb))]))
        // An erased comment stays only as the place its replies hang from.
        .where((eb) => eb.or([eb('c.erased_at', 'is', null), eb('c.parent_id', 'is not', null), seenReply(reader.ownIds, 'c.id')(eb)]));
    }
    if (bound) query = query.where((eb) => eb(eb.refTuple('c.created_at', 'c.id'), bound.comparison, eb.tuple(bound.key.createdAt, bound.key.id)));
    // With `parent_approved = 0` above: the condition of comments_other_thread_starts_idx, as it is written there.
    if (othersOnly) query = query.where((eb) => eb.or([eb('c.parent_id', 'is not', null), eb('c.erased_at', 'is not', null)]));
    return query;
  };
  return reader.ownIds.length ? branch(true).unionAll(branch(false)) : branch(true);
}

/** A comment as shown to readers: no email, no IP hash, no user agent. */
export type PublicCommentRow = Pick<CommentRow, 'id' | 'parent_id' | 'author_name' | 'author_url' | 'body_html' | 'created_at' | 'edited_at' | 'status' | 'erased_at'>;

const PUBLIC_COLUMNS = ['id', 'parent_id', 'author_name', 'author_url', 'body_html', 'created_at', 'edited_at', 'status', 'erased_at'] as const;

/**
 * In ONE statement: how many threads the article has for this reader, and every comment the reader sees in the
 * threads of one page (`limit` threads from `offset`, or the last page when that is past it; oldest or newest first),
 * oldest first — the same comments, in the same order, as reading the whole article and paging its threads gives.
 */
export async function threadPage(
  db: DB,
  articleId: number,
  reader: ThreadReader,
  page: { order: 'oldest' | 'newest'; offset: number; limit: number },
): Promise<{ threadCount: number; rows: PublicCommentRow[] }> {
  const rows = await threadPageQuery(db, { flat: reader.flat, order: page.order, limit: page.limit }, { articleId, ownIds: reader.ownIds, offset: page.offset });
  return {
    threadCount: Number(rows[0]?.n ?? 0),
    rows: rows.filter((r) => r.id !== null) as PublicCommentRow[],
  };
}

const threadPageQuery = reusableQuery('threadPage', (db: DB, options: { flat: boolean; order: 'oldest' | 'newest'; limit: number }, values: { articleId: number; ownIds: readonly number[]; offset: number }) => {
  const reader = { ownIds: values.ownIds, flat: options.flat };
  const direction = options.order === 'newest' ? 'desc' : 'asc';
  // Declared with `withRecursive` because Kysely writes WITH RECURSIVE only when the first CTE is; PostgreSQL needs it
  // before `members` may refer to itself, and it changes nothing for the others.
  const counted = db.withRecursive('thread_count', (qb) => qb.selectFrom(threadStarts(db, values.articleId, reader).as('s')).select((eb) => eb.fn.countAll<number | string>().as('n')));
  // A page past the last shows the last (as getThread says): its offset is clamped here, in the same statement.
  // The page size is written into the statement: SQLite runs `limit ?` here ten times slower than `limit 50` (it
  // cannot size the page's temporary tables), and divides by it as an integer (better-sqlite3 binds numbers as REAL).
  const limit = (eb: ExpressionBuilder<any, any>) => eb.lit(options.limit);
  const lastPageStart = (eb: ExpressionBuilder<any, any>) => eb(eb(eb.parens(eb(eb.ref('thread_count.n'), '-', eb.lit(1))), '/', limit(eb)), '*', limit(eb));
  const starts = counted.with('page_starts', (qb) =>
    threadStarts(db, values.articleId, reader)
      .orderBy('created_at', direction)
      .orderBy('id', direction)
      .limit(limit)
      .offset(
        qb
          .selectFrom('thread_count')
          .select((eb) => eb.case().when('thread_count.n', '>', values.offset).then(eb.val(values.offset)).when('thread_count.n', '=', eb.lit(0)).then(eb.lit(0)).else(lastPageStart(eb)).end().as('start'))
          .$castTo<{ start: number }>(),
      ),
  );
  // The ids of the page's comments first, their columns once at the end. Replies are looked up in
  // comments_replies_idx for the page's few rows: CROSS JOIN keeps those rows as SQLite's outer loop. PostgreSQL
  // guesses a recursive CTE at ten times its first step and would rather hash every approved comment of the site;
  // the article condition (always true) makes it see how few rows there are. Written `article_id + 0` so that SQLite
  // does not take it for an index lookup instead (comments_thread_starts_idx: every approved comment of the article).
  const sameArticle = (eb: ExpressionBuilder<any, any>) => eb(eb('m.article_id', '+', eb.lit(0)), '=', values.articleId);
  const members = options.flat
    ? starts.with('members', (qb) => qb.selectFrom('page_starts').select('page_starts.id'))
    : starts.withRecursive('members(id)', (qb) =>
        qb
          .selectFrom('page_starts')
          .select('page_starts.id')
          .where('page_starts.parent_id', 'is', null)
          // A placeholder's thread: every reply to the hidden parent that the reader sees.
          .unionAll(qb.selectFrom('page_starts').crossJoin('comments as m').select('m.id').whereRef('m.parent_id', '=', 'page_starts.parent_id').where(sameArticle).where(seenBy(reader.ownIds, 'm')))
          .unionAll((qb2) => qb2.selectFrom('members as up').crossJoin('comments as m').select('m.id').whereRef('m.parent_id', '=', 'up.id').where(sameArticle).where(seenBy(reader.ownIds, 'm'))),
      );
  return members
    .selectFrom('thread_count')
    .leftJoin('members', (join) => join.onTrue())
    .leftJoin('comments as c', (join) => join.onRef('c.id', '=', 'members.id').on('c.article_id', '=', values.articleId))
    .select(['thread_count.n', ...PUBLIC_COLUMNS.map((c) => `c.${c}` as const)])
    .orderBy('c.created_at')
    .orderBy('c.id');
});

/**
 * The first `limit` comments of the article that the reader sees (approved, and their own held ones), oldest first:
 * a short thread read whole.
 */
export async function visibleComments(db: DB, articleId: number, ownIds: readonly number[], limit: number): Promise<PublicCommentRow[]> {
  return visibleCommentsQuery(db, { limit }, { articleId, ownIds });
}

const visibleCommentsQuery = reusableQuery('visibleComments', (db: DB, options: { limit: number }, values: { articleId: number; ownIds: readonly number[] }) =>
  db
    .selectFrom('comments as c')
    .select(PUBLIC_COLUMNS.map((c) => `c.${c}` as const))
    .where('c.article_id', '=', values.articleId)
    .where(seenBy(values.ownIds, 'c'))
    .orderBy('c.created_at')
    .orderBy('c.id')
    .limit((eb) => eb.lit(options.limit)),
);

/**
 * Where the comment `id` sits for this reader: its article, and how many threads come before its own in `order`
 * (its page is then `floor(before / perPage) + 1`). Undefined when the reader does not see it or it starts no
 * thread (an erased comment without replies). Two short queries (three for a reply to a hidden comment): the
 * comment's chain of seen parents, then a count of thread starts from the index.
 */
export async function threadPosition(db: DB, id: number, reader: ThreadReader, order: 'oldest' | 'newest'): Promise<{ articleId: number; before: number } | undefined> {
  const chain = await chainQuery(db, {}, { id, ownIds: reader.ownIds });
  const comment = chain[0];
  if (!comment) return undefined;
  let start: ThreadKey | undefined;
  if (reader.flat) start = comment.erased_at === null ? { createdAt: comment.created_at, id: comment.id } : undefined;
  else {
    const top = chain.at(-1)!;
    if (top.parent_id === null) start = top.erased_at === null || Boolean(top.answered) ? { createdAt: top.created_at, id: top.id } : undefined;
    else {
      // Under a hidden parent: the thread starts at that parent's oldest reply the reader sees.
      const [first] = await firstSeenReplyQuery(db, {}, { parentId: top.parent_id, ownIds: reader.ownIds });
      start = { createdAt: first!.created_at, id: first!.id };
    }
  }
  if (!start) return undefined;
  return { articleId: comment.article_id, before: await threadsBefore(db, comment.article_id, reader, order, start) };
}

/**
 * How many threads of the article come before the thread that starts at `start` in `order`, for this reader: the
 * count behind threadPosition, for a caller that knows where the comment's thread starts (a top-level comment it
 * has just posted).
 */
export async function threadsBefore(db: DB, articleId: number, reader: ThreadReader, order: 'oldest' | 'newest', start: ThreadKey): Promise<number> {
  const [row] = await threadsBeforeQuery(db, { flat: reader.flat, comparison: order === 'newest' ? '>' : '<' }, { articleId, ownIds: reader.ownIds, createdAt: start.createdAt, id: start.id });
  return Number(row!.n);
}

/**
 * How many threads of the article come before the thread that starts at `start` in `comparison` order ('<': oldest
 * first), for a reader with no held comments of their own, as an expression: a count of thread starts, except that
 * oldest first with replies nested (not `flat`) it is the article's plain threads (comment_thread_counts, kept by
 * triggers) less the plain threads at or after `start`, plus the other thread starts before it
 * (comments_other_thread_starts_idx: replies under hidden parents, erased comments kept for their replies; few).
 * Both read only a few rows for a start near the end of the thread (a comment just posted); the count of thread
 * starts before it read every thread of the article.
 */
function countThreadsBefore(db: DB, articleId: number, flat: boolean, comparison: '<' | '>', start: ThreadKey) {
  return (eb: ExpressionBuilder<any, any>) => {
    const reader = { ownIds: [], flat };
    if (flat || comparison === '>') return eb.selectFrom(threadStarts(db, articleId, reader, { comparison, key: start }).as('s')).select((eb2) => eb2.fn.countAll().as('n'));
    const plain = eb.fn.coalesce(eb.selectFrom('comment_thread_counts').select('comment_thread_counts.plain_threads').where('comment_thread_counts.article_id', '=', articleId), eb.lit(0));
    const plainFromStart = eb
      .selectFrom('comments as c')
      .select((eb2) => eb2.fn.countAll().as('n'))
      .where('c.article_id', '=', articleId)
      .where('c.status', '=', 'approved')
      .where((eb2) => eb2('c.parent_approved', '=', eb2.lit(0)))
      .where('c.parent_id', 'is', null)
      .where('c.erased_at', 'is', null)
      .where((eb2) => eb2(eb2.refTuple('c.created_at', 'c.id'), '>=', eb2.tuple(start.createdAt, start.id)));
    const others = eb.selectFrom(threadStarts(db, articleId, reader, { comparison, key: start }, true).as('s')).select((eb2) => eb2.fn.countAll().as('n'));
    return eb(eb(plain, '-', plainFromStart), '+', others);
  };
}

/**
 * How many threads of the article come before a top-level comment just posted (`start`, its creation time and id),
 * in `order`, as its author sees them: threadsBefore for that comment, in one statement that reads only a few rows
 * whatever the length of the thread (countThreadsBefore). Its author's own held comment starts no thread before it,
 * and nothing replies to it yet, so they count as a reader with no held comments.
 */
export async function threadsBeforeNewest(db: DB, articleId: number, flat: boolean, order: 'oldest' | 'newest', start: ThreadKey): Promise<number> {
  const [row] = await threadsBeforeNewestQuery(db, { flat, comparison: order === 'newest' ? '>' : '<' }, { articleId, createdAt: start.createdAt, id: start.id });
  return Number(row!.n);
}

const threadsBeforeNewestQuery = reusableQuery('threadsBeforeNewest', (db: DB, options: { flat: boolean; comparison: '<' | '>' }, values: { articleId: number; createdAt: string; id: number }) =>
  db.selectNoFrom((eb) => countThreadsBefore(db, values.articleId, options.flat, options.comparison, { createdAt: values.createdAt, id: values.id })(eb).$castTo<number | string>().as('n')),
);

/** The comment `id` if the reader sees it, then its parents up the thread as long as the reader sees them, nearest first. */
const chainQuery = reusableQuery('threadChain', (db: DB, _options: Record<string, never>, values: { id: number; ownIds: readonly number[] }) =>
  db
    .withRecursive('chain(id, parent_id, article_id, created_at, erased_at, depth)', (qb) =>
      qb
        .selectFrom('comments as c')
        .select(['c.id', 'c.parent_id', 'c.article_id', 'c.created_at', 'c.erased_at', (eb) => eb.lit(0).as('depth')])
        .where('c.id', '=', values.id)
        .where(seenBy(values.ownIds, 'c'))
        .unionAll((qb2) =>
          qb2
            .selectFrom('comments as c')
            .innerJoin('chain as below', 'below.parent_id', 'c.id')
            .select(['c.id', 'c.parent_id', 'c.article_id', 'c.created_at', 'c.erased_at', (eb) => eb(eb.ref('below.depth'), '+', 1).as('depth')])
            .where(seenBy(values.ownIds, 'c')),
        ),
    )
    .selectFrom('chain')
    .select(['chain.id', 'chain.parent_id', 'chain.article_id', 'chain.created_at', 'chain.erased_at'])
    .select((eb) => seenReply(values.ownIds, 'chain.id')(eb).as('answered'))
    .orderBy('chain.depth'),
);

const firstSeenReplyQuery = reusableQuery('firstSeenReply', (db: DB, _options: Record<string, never>, values: { parentId: number; ownIds: readonly number[] }) =>
  db
    .selectFrom('comments as e')
    .select(['e.created_at', 'e.id'])
    .where('e.parent_id', '=', values.parentId)
    .where(seenBy(values.ownIds, 'e'))
    .orderBy('e.created_at')
    .orderBy('e.id')
    .limit(1),
);

const threadsBeforeQuery = reusableQuery(
  'threadsBefore',
  (db: DB, options: { flat: boolean; comparison: '<' | '>' }, values: { articleId: number; ownIds: readonly number[]; createdAt: string; id: number }) =>
    db
      .selectFrom(threadStarts(db, values.articleId, { ownIds: values.ownIds, flat: options.flat }, { comparison: options.comparison, key: { createdAt: values.createdAt, id: values.id } }).as('s'))
      .select((eb) => eb.fn.countAll<number | string>().as('n')),
);

/** A comment of `articleId` as a reply target or report notice needs it, if the reader sees it or a reply to it. */
export async function findThreadNode(db: DB, articleId: number, id: number, ownIds: readonly number[]): Promise<{ seen: boolean; answered: boolean; status: CommentStatus; erased: boolean; authorName: string } | undefined> {
  const row = await db
    .selectFrom('comments as c')
    .select(['c.status', 'c.erased_at', 'c.author_name'])
    .select((eb) => [
      eb.exists(eb.selectFrom('comments as seen').select('seen.id').where('seen.id', '=', id).where(seenBy(ownIds, 'seen'))).as('seen'),
      seenReply(ownIds, 'c.id')(eb).as('answered'),
    ])
    .where('c.id', '=', id)
    .where('c.article_id', '=', articleId)
    .executeTakeFirst();
  return row && { seen: Boolean(row.seen), answered: Boolean(row.answered), status: row.status, erased: row.erased_at !== null, authorName: row.author_name };
}

/** Every column of one comment (for the service layer; never rendered as is). */
export async function findComment(db: DB, id: number): Promise<CommentRow | undefined> {
  return db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Adds `delta` to the article's approved-comment count; run in the transaction that changes the comment. */
export async function adjustCommentCount(db: DB, articleId: number, delta: number): Promise<void> {
  await db
    .updateTable('articles')
    .set((eb) => ({ comment_count: eb('comment_count', '+', delta) }))
    .where('id', '=', articleId)
    .execute();
}

/** The public article a comment belongs to (slug, headline), or undefined when that article is not public now. */
export async function findPublicArticleOfComment(db: DB, commentId: number, now: string): Promise<{ id: number; slug: string; headline: string } | undefined> {
  return db
    .selectFrom('comments')
    .innerJoin('articles', 'articles.id', 'comments.article_id')
    .select(['articles.id', 'articles.slug', 'articles.headline'])
    .where('comments.id', '=', commentId)
    .where(publiclyVisible(now))
    .executeTakeFirst();
}
