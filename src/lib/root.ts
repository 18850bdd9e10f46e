/** Where Broadsheet's own files are on disk: the project root, for the sources (src/) and the production bundle (dist/) alike. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The nearest folder at or above this module's own that holds a package.json. A path relative to import.meta.url
 * would differ between src/lib/root.ts and dist/server.js (where every bundled module shares one import.meta.url);
 * the project root is the same from both. Throws when there is none (a module copied out of its project).
 */
function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json in ${from} or any folder above it`);
  }
}

/** Absolute path of the project root (the folder of Broadsheet's package.json). */
export const ROOT_DIR: string = findRoot(dirname(fileURLToPath(import.meta.url)));

/** Absolute path of `segments` joined under the project root, e.g. `fromRoot('content', 'demo')`. */
export function fromRoot(...segments: string[]): string {
  return join(ROOT_DIR, ...segments);
}
