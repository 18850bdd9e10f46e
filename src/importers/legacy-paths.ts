/**
 * Old addresses of imported content (WordPress `/?p=123`, `/2019/04/01/slug/`, `/category/news/`; Ghost `/slug/`,
 * `/tag/x/`): recorded by the importers, answered by the site with a 301 to where the target lives now.
 */
import type { DB } from '../db/database.ts';
import type { LegacyTargetKind } from '../db/schema.ts';

/** What an old address now points at. */
export interface LegacyTarget {
  kind: LegacyTargetKind;
  id: number;
}

/**
 * Records `paths` (absolute URLs or paths; normalised before storing) as old addresses of `target`, for importer
 * `source` ('wxr', 'ghost'). Importing again re-points an existing path to the new target. `at` is ISO-8601 UTC.
 */
export async function recordLegacyPaths(db: DB, source: string, target: LegacyTarget, paths: readonly string[], at: string): Promise<void> {
  void db;
  void source;
  void target;
  void paths;
  void at;
  throw new Error('recordLegacyPaths: not implemented yet');
}
