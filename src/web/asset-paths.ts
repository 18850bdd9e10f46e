/**
 * Fingerprinted addresses of the site's static files (src/web/assets, served at /assets/ with a year's `immutable`
 * caching): `/assets/NAME?v=<first 48 bits of the file's SHA-256, hex>`, so the address changes whenever the file
 * does. Each file is read and hashed once per process.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fromRoot } from '../lib/root.ts';

/** The folder served at /assets/, with a trailing slash. */
export const ASSETS_DIR = `${fromRoot('src', 'web', 'assets')}/`;

const versioned = new Map<string, string>();

/** `/assets/NAME?v=HASH` for the file `NAME` in ASSETS_DIR; throws (ENOENT) when there is no such file. */
export function assetPath(name: string): string {
  let path = versioned.get(name);
  if (!path) {
    path = `/assets/${name}?v=${createHash('sha256').update(readFileSync(`${ASSETS_DIR}${name}`)).digest('hex').slice(0, 12)}`;
    versioned.set(name, path);
  }
  return path;
}
