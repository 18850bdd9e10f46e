/** Where media files live, behind one interface: local disk by default (an S3-compatible backend can follow). */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, normalize, sep } from 'node:path';

export interface MediaStorage {
  /** Stores `bytes` under `key` (a relative path such as `2026/11/ab12-800.webp`). */
  put(key: string, bytes: Buffer): Promise<void>;
  /** Removes `key`; missing keys are fine. */
  delete(key: string): Promise<void>;
  /** Public URL path of `key`. */
  url(key: string): string;
}

/** Files under `root`, served by the app at `/media/`. */
export class LocalDiskStorage implements MediaStorage {
  constructor(readonly root: string) {}

  private path(key: string): string {
    const path = normalize(join(this.root, key));
    if (!path.startsWith(normalize(this.root) + sep)) throw new Error(`media key escapes the media folder: ${key}`);
    return path;
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bytes);
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  url(key: string): string {
    return `/media/${key.split('/').map(encodeURIComponent).join('/')}`;
  }
}
