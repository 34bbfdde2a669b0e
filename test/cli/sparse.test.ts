// Holes of a sparse image are found from its hole map (SEEK_DATA/SEEK_HOLE, the native addon
// `npm ci` builds) and not read: a first backup, an incremental where data became a hole and a
// hole became data, each restoring bit-exact.
import { execFile } from 'node:child_process';
import { open, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holesKnown } from '../../src/engine/data-extents.js';
import { run, runJson, tempDir } from '../helpers/cli.js';
import { sha256File } from '../helpers/images.js';
import { Rng } from '../helpers/random.js';

const exec = promisify(execFile);
const MiB = 1 << 20;
const GiB = 1 << 30;

describe('sparse images', () => {
  let tmp: { path: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    tmp = await tempDir('snaptier-sparse-');
  });
  afterAll(() => tmp?.cleanup());

  it.skipIf(!holesKnown())('reads only the allocated extents of a 2 GiB image with 6 MiB of data, and restores it bit-exact', async () => {
    const repo = join(tmp.path, 'repo');
    const img = join(tmp.path, 'sparse.img');
    expect((await run(['init', '--repo', repo])).code).toBe(0);
    await writeFile(img, '');
    await truncate(img, 2 * GiB);
    const fh = await open(img, 'r+');
    const rng = new Rng(9);
    for (const at of [0, 700 * MiB, 1900 * MiB]) await fh.write(rng.bytes(2 * MiB), 0, 2 * MiB, at);
    await fh.close();

    const first = await runJson(['backup', '--repo', repo, '--volume', 's', '--source', img]);
    // Reads come in 4 MiB batches: at most one batch per extent is read, the rest is hole.
    expect(first.bytesHoles).toBeGreaterThanOrEqual(2 * GiB - 3 * 4 * MiB);
    expect(first.bytesChanged).toBeLessThanOrEqual(3 * 4 * MiB); // the batches read; their zero blocks become holes

    // Data becomes a hole (punched), a hole becomes data.
    await exec('fallocate', ['--punch-hole', '--offset', String(700 * MiB), '--length', String(2 * MiB), img]);
    const fh2 = await open(img, 'r+');
    await fh2.write(rng.bytes(MiB), 0, MiB, 1200 * MiB);
    await fh2.close();
    const second = await runJson(['backup', '--repo', repo, '--volume', 's', '--source', img]);
    expect(second.mode).toBe('fingerprints');
    expect(second.bytesHoles).toBeGreaterThanOrEqual(2 * GiB - 4 * 4 * MiB);
    for (const doc of [second]) {
      const target = join(tmp.path, `restored-${doc.snapshot}`);
      expect((await run(['restore', '--repo', repo, '--volume', 's', '--snapshot', doc.snapshot, '--target', target])).code).toBe(0);
      expect(await sha256File(target)).toBe(await sha256File(img));
    }
  });
});
