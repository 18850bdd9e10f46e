/**
 * The production build: src/server.ts and everything of ours it imports bundled by esbuild into dist/server.js and
 * the chunks it loads (dist/chunks/), so that `npm start` runs plain JavaScript instead of compiling TypeScript
 * through tsx at every start. Packages stay in node_modules (imported by name). Our modules find their files
 * (assets, demo content, the editor's sources) from the project root (src/lib/root.ts), since in the bundle they
 * share a few locations. `npm run build`.
 */
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { fromRoot } from '../src/lib/root.ts';

/** What `npm start` runs once built: dist/server.js under the project root. */
export const SERVER_BUNDLE: string = fromRoot('dist', 'server.js');

const CHUNKS_DIR = fromRoot('dist', 'chunks');

/** Chunks of earlier builds are removed once this old (ms): a server started from one may still load its lazy chunks. */
const STALE_CHUNK_MS = 24 * 60 * 60 * 1000;

/**
 * Writes dist/server.js, its chunks and their source maps from the current sources. Each file is written beside its
 * place and renamed over it, chunks before the entry, so that a server starting from this checkout meanwhile (two
 * `npm start`s at once, docs/nginx.md) reads the old build or the new one, never a file being written or one
 * removed. Rejects with esbuild's error when the sources do not bundle (a missing import, a syntax error); type
 * errors are tsc's business.
 */
export async function buildServer(): Promise<void> {
  const { outputFiles } = await build({
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
    write: false,
  });
  const entryLast = outputFiles.sort((a, b) => Number(a.path.startsWith(SERVER_BUNDLE)) - Number(b.path.startsWith(SERVER_BUNDLE)));
  for (const file of entryLast) {
    await mkdir(dirname(file.path), { recursive: true });
    const partial = `${file.path}.${process.pid}.partial`;
    await writeFile(partial, file.contents);
    await rename(partial, file.path);
  }
  // Chunk names carry a content hash, so each change of the sources leaves the previous build's chunks behind.
  const current = new Set(outputFiles.map((file) => file.path));
  for (const name of await readdir(CHUNKS_DIR).catch(() => [])) {
    const path = join(CHUNKS_DIR, name);
    if (!current.has(path) && Date.now() - (await stat(path)).mtimeMs > STALE_CHUNK_MS) await rm(path, { force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  await buildServer();
  console.log(`built ${SERVER_BUNDLE} in ${Math.round(performance.now() - started)} ms`);
}
