// Where a regular file's data lies (lseek SEEK_DATA/SEEK_HOLE, through the small native addon in
// src/native, built by `npm ci`), so a backup of a sparse image skips its holes instead of reading
// gigabytes of zeros. Without the addon (installed with --ignore-scripts, or an unusual platform)
// nothing is known and everything is read, as before.
import { createRequire } from 'node:module';
import { join } from 'node:path';

type DataExtentsFn = (fd: number, start: number, end: number, max: number) => number[];

let loaded: DataExtentsFn | null | undefined;

function addon(): DataExtentsFn | null {
  if (loaded === undefined) {
    try {
      // dist/engine/ and src/engine/ both sit two levels below the package root.
      const require = createRequire(import.meta.url);
      loaded = (require(join(import.meta.dirname, '..', '..', 'build', 'Release', 'snaptier_native.node')) as { dataExtents: DataExtentsFn }).dataExtents;
    } catch {
      loaded = null;
    }
  }
  return loaded;
}

/** Whether hole detection is available in this installation. */
export function holesKnown(): boolean {
  return addon() !== null;
}

/**
 * The data extents of [start, end) of the open file `fd`, as [from, to) pairs; null when this
 * installation cannot tell (read everything). At most `max` extents: past that, null as well.
 */
export function dataExtents(fd: number, start: number, end: number, max = 4096): Array<[number, number]> | null {
  const fn = addon();
  if (!fn) return null;
  const flat = fn(fd, start, end, max + 1);
  if (flat.length / 2 > max) return null;
  const out: Array<[number, number]> = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}
