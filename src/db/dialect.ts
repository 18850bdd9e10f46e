/** The only home of dialect differences between SQLite and PostgreSQL: the dialect names, and later named helpers over raw `sql`. */

export type DialectName = 'sqlite' | 'postgres';
