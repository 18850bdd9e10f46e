/**
 * Site search: an index of every article's words (headline, dek, tags, body text), filled here from the articles
 * already stored. SQLite: an FTS5 table keyed by rowid = article id, and a trigger that drops a deleted article's
 * entry; PostgreSQL: article_id → weighted tsvector with a GIN index, its rows deleted with their article.
 * The word folding below is a frozen copy of distribution/search (tokens.ts, document.ts, the tsvector literal of
 * db/dialect.ts) as of this migration: migrations never import app code.
 */
import { parseHTML } from 'linkedom';
import { PostgresAdapter, sql, type Kysely } from 'kysely';

const WORD = /[\p{L}\p{N}\p{M}\p{Co}]+/gu;
const NOT_WORD = /[^\p{L}\p{N}\p{M}\p{Co}]/gu;
const ACCENTS = /([\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}])\p{M}+/gu;
const MAX_TERM_LENGTH = 64;
const MAX_DOCUMENT_BYTES = 256 * 1024;
const BLOCKS = new Set(['P', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'BLOCKQUOTE', 'UL', 'OL', 'LI', 'FIGURE', 'FIGCAPTION', 'PRE', 'TABLE', 'CAPTION', 'THEAD', 'TBODY', 'TR', 'TH', 'TD', 'HR', 'BR', 'DIV', 'SECTION']);

function terms(text: string): string[] {
  const found = new Set<string>();
  for (const [raw] of text.matchAll(WORD)) {
    const folded = raw.normalize('NFKD').toLowerCase().replace(/ς/g, 'σ').replace(ACCENTS, '$1').normalize('NFC').replace(NOT_WORD, '');
    const term = [...folded].slice(0, MAX_TERM_LENGTH).join('');
    if (term) found.add(term);
  }
  return [...found];
}

function collectText(node: any, out: string[]): void {
  for (const child of node.childNodes) {
    if (child.nodeType === 3) out.push(child.nodeValue ?? '');
    else if (child.nodeType === 1) {
      const block = BLOCKS.has(child.tagName);
      if (block) out.push(' ');
      collectText(child, out);
      if (block) out.push(' ');
    }
  }
}

function htmlText(html: string): string {
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  const out: string[] = [];
  collectText(document.body, out);
  return out.join('').replace(/\s+/g, ' ').trim();
}

interface Doc {
  headline: string[];
  dek: string[];
  tags: string[];
  body: string[];
}

function documentOf(row: { headline: string; dek: string; body_html: string }, tags: string[]): Doc {
  const seen = new Set<string>();
  let bytes = 0;
  const within = (list: string[]) =>
    list.filter((term) => {
      if (seen.has(term)) return true;
      const size = Buffer.byteLength(term);
      if (bytes + size > MAX_DOCUMENT_BYTES) return false;
      bytes += size;
      seen.add(term);
      return true;
    });
  return { headline: within(terms(row.headline)), dek: within(terms(row.dek)), tags: within(terms(tags.join(' '))), body: within(terms(htmlText(row.body_html))) };
}

function tsvectorLiteral(doc: Doc): string {
  const positions = new Map<string, Set<string>>();
  const add = (list: string[], at: string) => {
    for (const term of list) positions.set(term, (positions.get(term) ?? new Set()).add(at));
  };
  add(doc.headline, '1A');
  add(doc.dek, '2B');
  add(doc.tags, '2B');
  add(doc.body, '3C');
  const lexeme = (term: string) => `'${term.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
  return [...positions].map(([term, at]) => `${lexeme(term)}:${[...at].sort().join(',')}`).join(' ');
}

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  if (postgres) {
    await db.schema
      .createTable('article_search')
      .addColumn('article_id', 'integer', (c) => c.primaryKey().references('articles.id').onDelete('cascade'))
      .addColumn('document', sql`tsvector`, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('article_search_document_idx').on('article_search').using('gin').column('document').execute();
  } else {
    // categories: combining marks are letters of their word (FTS5 would split "हिन्दी" otherwise), as in tokens.ts.
    await sql`create virtual table article_search using fts5(headline, dek, tags, body, tokenize = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'")`.execute(db);
    await sql`create trigger article_search_delete after delete on articles begin delete from article_search where rowid = old.id; end`.execute(db);
  }

  const articles = (await db.selectFrom('articles').select(['id', 'headline', 'dek', 'body_html']).orderBy('id').execute()) as { id: number; headline: string; dek: string; body_html: string }[];
  const tagRows = (await db
    .selectFrom('article_tags')
    .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
    .select(['article_tags.article_id', 'tags.name'])
    .orderBy('article_tags.article_id')
    .orderBy('article_tags.position')
    .execute()) as { article_id: number; name: string }[];
  const tagsOf = new Map<number, string[]>();
  for (const t of tagRows) tagsOf.set(t.article_id, [...(tagsOf.get(t.article_id) ?? []), t.name]);
  for (const article of articles) {
    const doc = documentOf(article, tagsOf.get(article.id) ?? []);
    if (postgres) await sql`insert into article_search (article_id, document) values (${article.id}, cast(${tsvectorLiteral(doc)} as tsvector))`.execute(db);
    else await sql`insert into article_search (rowid, headline, dek, tags, body) values (${article.id}, ${doc.headline.join(' ')}, ${doc.dek.join(' ')}, ${doc.tags.join(' ')}, ${doc.body.join(' ')})`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) await sql`drop trigger article_search_delete`.execute(db);
  await db.schema.dropTable('article_search').execute();
}
