/**
 * Every comment post asks two questions about its author's address (comments/pipeline.ts): has this address posted
 * this text on this article already (the duplicate check), and has it an approved comment anywhere (the first-time
 * hold). With an index on the address alone both read every comment of a regular commenter, the duplicate check
 * each of their rows; (author_email, article_id, status) answers the first from the article's few rows and the
 * second from the index alone. It serves every lookup by address as well, so it replaces comments_email_idx.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('comments_email_article_idx').on('comments').columns(['author_email', 'article_id', 'status']).execute();
  await db.schema.dropIndex('comments_email_idx').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('comments_email_idx').on('comments').column('author_email').execute();
  await db.schema.dropIndex('comments_email_article_idx').execute();
}
