/**
 * The production build: src/server.ts, everything of ours it imports and the packages those import, bundled by esbuild
 * into dist/server.js and the chunks it loads (dist/chunks/), so that `npm start` runs plain JavaScript instead of
 * compiling TypeScript through tsx at every start, and loads a few large files instead of some 800 small ones. The
 * packages in EXTERNAL_PACKAGES, and those our modules load with createRequire, stay in node_modules. Our modules
 * find their files (assets, demo content, the editor's sources) from the project root (src/lib/root.ts), since in the
 * bundle they share a few locations. `npm run build`.
 */
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { fromRoot } from '../src/lib/root.ts';

/** What `npm start` runs once built: dist/server.js under the project root. */
export const SERVER_BUNDLE: string = fromRoot('dist', 'server.js');

const CHUNKS_DIR = fromRoot('dist', 'chunks');

/**
 * Packages loaded from node_modules at run time rather than bundled: native addons (better-sqlite3, sharp, argon2),
 * esbuild (it runs its own binary, for the editor's script), @fastify/swagger (it reads its own package.json beside
 * its sources), and what Fastify requires only when first needed (Ajv and fast-json-stringify through their
 * compilers, which web/api.ts loads itself at a route's first request; light-my-request for inject()): bundled, they
 * would be compiled at every start for nothing (~640 KB of the ~4.5 MB loaded). Every other package is bundled:
 * Node 20 resolves, reads and compiles each file of a package separately, and the ~800 files the server loaded from
 * node_modules (kysely alone has 266, prom-client brings 63 of @opentelemetry/api, fastify 52 of semver) cost ~0.8 s
 * of CPU at every start, more than half of its time to the first page (bench/support/processes.ts startBroadsheet:
 * CPU at first 200 ~1.4 s -> ~0.7 s).
 */
const EXTERNAL_PACKAGES = [
  ...['better-sqlite3', 'sharp', 'argon2', 'esbuild', '@fastify/swagger'],
  ...['@fastify/ajv-compiler', '@fastify/fast-json-stringify-compiler', 'light-my-request'],
];

/**
 * Defines `require` in each output file, for the CommonJS packages in the bundle that require Node's built-in modules
 * (esbuild's ESM output has no `require` of its own, and its stand-in throws "Dynamic require … is not supported").
 */
const REQUIRE_BANNER = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

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
    external: EXTERNAL_PACKAGES,
    banner: { js: REQUIRE_BANNER },
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
