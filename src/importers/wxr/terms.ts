/**
 * Authors, sections and tags of a WXR import, created once each and counted for the report: a row made now is
 * "imported", one that was there before (an earlier import, or the newsroom's own) is "updated"/already present.
 */
import * as taxonomy from '../../articles/taxonomy-store.ts';
import type { DB } from '../../db/database.ts';
import { slugFor } from '../../lib/slug.ts';
import type { Tally } from '../report.ts';

export type TermKind = 'authors' | 'sections' | 'tags';

export class TermLedger {
  /** Id of every term met, by kind and slug. */
  private readonly ids = new Map<string, number>();

  constructor(
    private readonly tallies: Record<TermKind, Tally>,
    private readonly now: string,
  ) {}

  /** The section with `slug` (created with `name` when missing); counted once. */
  section(db: DB, name: string, slug: string): Promise<number> {
    return this.ensure(db, 'sections', slug, () => taxonomy.findSectionBySlug(db, slug), () => taxonomy.ensureSection(db, { name, slug }));
  }

  /** The tag named `name`, under the slug writeArticle gives it; counted once. */
  tag(db: DB, name: string): Promise<number> {
    const slug = slugFor(name, 'tag');
    return this.ensure(db, 'tags', slug, () => taxonomy.findTagBySlug(db, slug), () => taxonomy.ensureTag(db, { name, slug }));
  }

  /** The author with `slug` (created with `name` when missing); counted once. */
  author(db: DB, name: string, slug: string): Promise<number> {
    return this.ensure(db, 'authors', slug, () => taxonomy.findAuthorBySlug(db, slug), () => taxonomy.ensureAuthor(db, { name, slug }, this.now));
  }

  private async ensure(db: DB, kind: TermKind, slug: string, find: () => Promise<{ id: number } | undefined>, create: () => Promise<number>): Promise<number> {
    const key = `${kind}:${slug}`;
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    const existing = await find();
    const id = existing?.id ?? (await create());
    this.tallies[kind][existing ? 'updated' : 'imported']++;
    this.ids.set(key, id);
    return id;
  }
}
