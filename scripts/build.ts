/**
 * The production build: src/server.ts and everything of ours it imports bundled by esbuild into dist/server.js and
 * the chunks it loads (dist/chunks/), so that `npm start` runs plain JavaScript instead of compiling TypeScript
 * through tsx at every start. Packages stay in node_modules (imported by name). Our modules find their files
 * (assets, demo content, the editor's sources) from the project root (src/lib/root.ts), since in the bundle they
 * share a few locations. `npm run build`.
 */
import { rm } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { fromRoot } from '../src/lib/root.ts';

/** What `npm start` runs once built: dist/server.js under the project root. */
export const SERVER_BUNDLE: string = fromRoot('dist', 'server.js');

/**
 * Writes dist/server.js, its chunks and their source maps from the current sources, replacing what was there.
 * Rejects with esbuild's error when the sources do not bundle (a missing import, a syntax error); type errors are
 * tsc's business.
 */
export async function buildServer(): Promise<void> {
  // Chunk names carry a content hash: without this, every build would leave the previous ones behind.
  await rm(fromRoot('dist', 'chunks'), { recursive: true, force: true });
  await build({
    entryPoints: { server: fromRoot('src', 'server.ts') },
    outdir: fromRoot('dist'),
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    // A dynamic import() of our own modules becomes a chunk loaded then, with the packages it imports: without
    // splitting, esbuild would inline it and hoist those packages' imports into the entry, loading them at once.
    splitting: true,
    // Packages are loaded from node_modules as they are: native ones (better-sqlite3, sharp, argon2) cannot be
    // bundled, and the others load faster as plain ESM/CJS than as one more copy. Only our own modules are bundled.
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // For stack traces with `node --enable-source-maps dist/server.js`; not read otherwise.
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  await buildServer();
  console.log(`built ${SERVER_BUNDLE} in ${Math.round(performance.now() - started)} ms`);
}
