// The objects of a local-directory repository as files: listing them by key, copying the whole
// repository, and reading a pack's layout (blobs, then the sealed trailer, then a 16-byte tail)
// so damage can be aimed at the part a restore reads.
import { cp, readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** Every object of the repository at `root`, key (path relative to it, '/'-separated) to size. */
export async function listObjects(root: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else out.set(relative(root, p).split(sep).join('/'), (await stat(p)).size);
    }
  };
  await walk(root);
  return out;
}

/** Keys present in `after` and not in `before`, sorted. */
export function newKeys(before: Map<string, number>, after: Map<string, number>): string[] {
  return [...after.keys()].filter((k) => !before.has(k)).sort();
}

export async function copyRepo(from: string, to: string): Promise<void> {
  await cp(from, to, { recursive: true });
}

export const PACK_TAIL = 16;

/** Where the blobs of a pack end and its sealed trailer begins. */
export function packBlobsEnd(pack: Buffer): number {
  return pack.length - PACK_TAIL - pack.readUInt32LE(pack.length - PACK_TAIL);
}
