/**
 * Fingerprinted addresses of the site's static files (src/web/assets, served at /assets/ with a year's `immutable`
 * caching): `/assets/NAME?v=<first 48 bits of the file's SHA-256, hex>`, so the address changes whenever the file
 * does. Each file is read and hashed once per process.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
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

/** Cache-Control of an /assets/ address without a fingerprint: an hour, since the file behind it may change. */
export const UNVERSIONED_ASSET_CACHE = 'public, max-age=3600';

/**
 * Serves ASSETS_DIR at /assets/ (@fastify/static): a year's `immutable` caching for fingerprinted addresses, an hour
 * for a file asked for without `?v=` (a hand-written or outside link), since only a fingerprinted address names one
 * version of the file. The hook lives in the static routes' own scope: no other response runs it.
 */
export async function registerAssets(app: FastifyInstance): Promise<void> {
  await app.register(async (assets) => {
    assets.addHook('onSend', async (request, reply, payload) => {
      if (!/[?&]v=/.test(request.url) && reply.statusCode === 200) reply.header('cache-control', UNVERSIONED_ASSET_CACHE);
      return payload;
    });
    await assets.register(fastifyStatic, { root: ASSETS_DIR, prefix: '/assets/', maxAge: '365d', immutable: true });
  });
}
