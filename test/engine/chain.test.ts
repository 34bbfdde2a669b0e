// The engine suite on the local directory store, with the chains the core issue asks for,
// plus a partial restore.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Codec, LocalStore, Repository, backupVolume, restoreSnapshot } from '../../src/index.js';
import { tempDir } from '../helpers/cli.js';
import { writeImage } from '../helpers/images.js';
import { Rng } from '../helpers/random.js';
import { describeEngineSuite } from './engine-suite.js';

describeEngineSuite(
  'local',
  async () => {
    const dir = await tempDir();
    return { store: new LocalStore(join(dir.path, 'repo')), cleanup: dir.cleanup };
  },
  [
    { seed: 11, size: 6 * 1024 * 1024 + 1234, steps: 14, encrypted: true, compression: Codec.Zstd },
    { seed: 22, size: 3 * 1024 * 1024 + 4095, steps: 13, encrypted: false, compression: Codec.Lz4 },
    // Small segments and fanout 4: trees of depth 3-4 that grow and shrink between levels.
    { seed: 33, size: 2 * 1024 * 1024 + 777, steps: 16, encrypted: true, compression: Codec.None, geometry: { segmentSize: 65536, fanout: 4 } },
  ],
);

describe('partial restore', () => {
  it('writes exactly the requested byte range from offset 0 of the target', async () => {
    const dir = await tempDir();
    try {
      const repo = await Repository.init(new LocalStore(join(dir.path, 'repo')), { password: null, compression: Codec.Zstd });
      const image = join(dir.path, 'image');
      await writeImage(image, 5 * 1024 * 1024 + 99, 5);
      await backupVolume(repo, { volume: 'v', source: image });
      const whole = await readFile(image);
      const rng = new Rng(5);
      for (let i = 0; i < 6; i++) {
        const offset = rng.int(whole.length);
        const length = rng.int(whole.length - offset + 1);
        const target = join(dir.path, `part-${i}`);
        const r = await restoreSnapshot(repo, { volume: 'v', snapshot: 'latest', target, offset, length });
        expect(r.bytesWritten).toBe(length);
        expect((await readFile(target)).equals(whole.subarray(offset, offset + length))).toBe(true);
      }
    } finally {
      await dir.cleanup();
    }
  });
});
