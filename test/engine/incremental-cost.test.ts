// Only changes travel: 1% of a volume rewritten as scattered 4 KiB blocks costs about the
// changed bytes, metadata included, as counted by `backup --json`.
import { copyFile, cp, open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJson, tempDir } from '../helpers/cli.js';
import { writeImage } from '../helpers/images.js';
import { Rng } from '../helpers/random.js';

const MiB = 1024 * 1024;
const SIZE = 128 * MiB;

describe('an incremental backup of 1% scattered 4 KiB writes', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let changed = 0;
  beforeAll(async () => {
    dir = await tempDir();
    await writeImage(join(dir.path, 'base'), SIZE, 7);
    await copyFile(join(dir.path, 'base'), join(dir.path, 'next'));
    // 1% of the blocks, distinct, at random positions, with random (incompressible) content.
    const rng = new Rng(8);
    const blocks = new Set<number>();
    while (blocks.size < SIZE / 4096 / 100) blocks.add(rng.int(SIZE / 4096));
    const fh = await open(join(dir.path, 'next'), 'r+');
    for (const b of blocks) await fh.write(rng.bytes(4096), 0, 4096, b * 4096);
    await fh.close();
    changed = blocks.size * 4096;
    // One full backup of the base, copied for each mode: both incrementals start from the same
    // repository state, and the 128 MiB image is backed up once instead of twice.
    await runJson(['init', '--repo', join(dir.path, 'repo-base')]);
    await runJson(['backup', '--repo', join(dir.path, 'repo-base'), '--volume', 'v', '--source', join(dir.path, 'base')]);
  });
  afterAll(async () => dir.cleanup());

  for (const mode of ['previous-source', 'fingerprints'] as const) {
    it(`uploads little more than the change with ${mode}`, async () => {
      const repo = join(dir.path, `repo-${mode}`);
      await cp(join(dir.path, 'repo-base'), repo, { recursive: true });
      const args = ['backup', '--repo', repo, '--volume', 'v', '--source', join(dir.path, 'next')];
      if (mode === 'previous-source') args.push('--previous-source', join(dir.path, 'base'));
      const r = await runJson(args);
      const ratio = r.bytesUploaded / changed;
      console.log(`${mode}: changed ${changed} B, uploaded ${r.bytesUploaded} B (${ratio.toFixed(2)}x) in ${r.objectsUploaded} objects`);
      expect(r.mode).toBe(mode);
      if (mode === 'previous-source') {
        expect(r.bytesChanged).toBe(changed);
        expect(r.bytesUploaded).toBeLessThanOrEqual(1.5 * changed + MiB);
        expect(r.objectsUploaded).toBeLessThanOrEqual(4);
      } else {
        // Fingerprints cover 16 KiB, so up to 4x the 4 KiB change is re-sent (README states the figure).
        expect(r.bytesUploaded).toBeLessThanOrEqual(5 * changed);
      }
    });
  }
});
