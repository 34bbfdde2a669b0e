// Random chains of snapshots: every point in time restores bit-exact, whichever way each
// backup found its changes, through growth, shrinkage, zeroed ranges and odd sizes.
import { copyFile, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Codec, LocalStore, Repository, backupVolume, restoreSnapshot, snapshotId } from '../../src/index.js';
import { tempDir } from '../helpers/cli.js';
import { type Mutation, mutate, sha256File, writeImage } from '../helpers/images.js';
import { Rng } from '../helpers/random.js';

type Mode = 'previous-source' | 'changed-extents' | 'fingerprints';

interface ChainSpec {
  seed: number;
  size: number;
  steps: number;
  encrypted: boolean;
  compression: Codec;
  geometry?: { segmentSize: number; fanout: number };
}

const chains: ChainSpec[] = [
  { seed: 11, size: 6 * 1024 * 1024 + 1234, steps: 14, encrypted: true, compression: Codec.Zstd },
  { seed: 22, size: 3 * 1024 * 1024 + 4095, steps: 13, encrypted: false, compression: Codec.Lz4 },
  // Small segments and fanout 4: trees of depth 3-4 that grow and shrink between levels.
  { seed: 33, size: 2 * 1024 * 1024 + 777, steps: 16, encrypted: true, compression: Codec.None, geometry: { segmentSize: 65536, fanout: 4 } },
];

const MUTATIONS: Mutation[] = ['scattered', 'scattered', 'contiguous', 'zero', 'grow', 'shrink'];
const MODES: Mode[] = ['previous-source', 'changed-extents', 'fingerprints'];

describe.each(chains)('a random chain (seed $seed, $steps snapshots)', (spec) => {
  let dir: { path: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    dir = await tempDir();
  });
  afterAll(async () => dir.cleanup());

  it('restores every point in time bit-exact, whatever the detection mode', async () => {
    const rng = new Rng(spec.seed);
    const store = new LocalStore(join(dir.path, 'repo'));
    const repo = await Repository.init(store, {
      password: spec.encrypted ? 'pw' : null,
      compression: spec.compression,
      kdfLog2N: 10,
      ...(spec.geometry ? { geometry: spec.geometry } : {}),
    });
    const image = join(dir.path, 'image');
    const previous = join(dir.path, 'previous');
    await writeImage(image, spec.size, spec.seed);

    const taken: Array<{ id: string; sha: string; mode: string }> = [];
    const modesUsed = new Set<string>();
    for (let step = 0; step < spec.steps; step++) {
      let mode: Mode | 'first' = 'first';
      let changes: Array<{ offset: number; length: number }> = [];
      if (step > 0) {
        await copyFile(image, previous);
        const n = 1 + rng.int(3);
        for (let i = 0; i < n; i++) changes = changes.concat(await mutate(image, rng.pick(MUTATIONS), rng));
        mode = MODES[(step + rng.int(3)) % 3]!;
        // A change list describes the volume as it is now: clip what a later shrink cut off.
        const size = (await stat(image)).size;
        changes = changes.filter((c) => c.offset < size).map((c) => ({ offset: c.offset, length: Math.min(c.length, size - c.offset) }));
      }
      const r = await backupVolume(repo, {
        volume: 'vol',
        source: image,
        ...(mode === 'previous-source' ? { previousSource: previous } : {}),
        ...(mode === 'changed-extents' ? { changedExtents: changes } : {}),
      });
      modesUsed.add(r.manifest.stats.mode);
      taken.push({ id: snapshotId(r.manifest), sha: await sha256File(image), mode: r.manifest.stats.mode });
    }
    expect([...modesUsed].sort()).toEqual(['changed-extents', 'fingerprints', 'full', 'previous-source']);

    // Restore newest to oldest through a freshly opened repository: nothing cached from the backups.
    const reopened = await Repository.open(store, async () => 'pw');
    for (const snap of [...taken].reverse()) {
      const target = join(dir.path, `restore-${snap.id}`);
      await restoreSnapshot(reopened, { volume: 'vol', snapshot: snap.id, target });
      expect({ id: snap.id, mode: snap.mode, sha: await sha256File(target) }).toEqual({ id: snap.id, mode: snap.mode, sha: snap.sha });
    }
  });
});

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
