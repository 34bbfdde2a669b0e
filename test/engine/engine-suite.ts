// The engine's behaviour on any store: random chains of snapshots restore bit-exact at every
// point in time, and an incremental backup writes few objects. Each backend's test runs it.
import { copyFile, open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Codec, Repository, backupVolume, checkRepository, restoreSnapshot, snapshotId } from '../../src/index.js';
import type { ObjectStore } from '../../src/store/object-store.js';
import { tempDir } from '../helpers/cli.js';
import { type Mutation, mutate, sha256File, writeImage } from '../helpers/images.js';
import { Rng } from '../helpers/random.js';

export interface EngineFixture {
  store: ObjectStore;
  cleanup: () => Promise<void>;
}

export interface ChainSpec {
  seed: number;
  size: number;
  steps: number;
  encrypted: boolean;
  compression: Codec;
  geometry?: { segmentSize: number; fanout: number };
}

type Mode = 'previous-source' | 'changed-extents' | 'fingerprints';
const MUTATIONS: Mutation[] = ['scattered', 'scattered', 'contiguous', 'zero', 'grow', 'shrink'];
const MODES: Mode[] = ['previous-source', 'changed-extents', 'fingerprints'];
const MiB = 1024 * 1024;

export function describeEngineSuite(name: string, makeStore: () => Promise<EngineFixture>, chains: ChainSpec[]): void {
  describe(`${name}: engine`, () => {
    let dir: { path: string; cleanup: () => Promise<void> };
    beforeAll(async () => {
      dir = await tempDir();
    });
    afterAll(async () => dir.cleanup());

    it.each(chains)('restores every point in time of a random chain bit-exact (seed $seed, $steps snapshots)', async (spec) => {
      const fx = await makeStore();
      try {
        await runChain(fx.store, join(dir.path, `chain-${spec.seed}`), spec);
      } finally {
        await fx.cleanup();
      }
    });

    it('writes at most 8 objects for an incremental backup of about 3 MiB of change', async () => {
      const fx = await makeStore();
      try {
        const repo = await Repository.init(fx.store, { password: 'pw', compression: Codec.Zstd, kdfLog2N: 10 });
        const image = join(dir.path, 'objects-image');
        await writeImage(image, 48 * MiB + 512, 99);
        await backupVolume(repo, { volume: 'v', source: image });
        const before = await countObjects(fx.store);
        const rng = new Rng(100);
        const fh = await open(image, 'r+');
        await fh.write(rng.bytes(3 * MiB), 0, 3 * MiB, 17 * MiB + 4096);
        await fh.close();
        const r = await backupVolume(repo, { volume: 'v', source: image, changedExtents: [{ offset: 17 * MiB + 4096, length: 3 * MiB }] });
        const written = (await countObjects(fx.store)) - before;
        expect(written).toBe(r.objectsUploaded);
        expect(written).toBeLessThanOrEqual(8);
        const target = join(dir.path, 'objects-restore');
        await restoreSnapshot(repo, { volume: 'v', snapshot: 'latest', target });
        expect((await readFile(target)).equals(await readFile(image))).toBe(true);
      } finally {
        await fx.cleanup();
      }
    });
  });
}

async function countObjects(store: ObjectStore): Promise<number> {
  let n = 0;
  for await (const _ of store.list('')) n++;
  return n;
}

export async function runChain(store: ObjectStore, work: string, spec: ChainSpec): Promise<void> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(work, { recursive: true });
  const rng = new Rng(spec.seed);
  const repo = await Repository.init(store, {
    password: spec.encrypted ? 'pw' : null,
    compression: spec.compression,
    kdfLog2N: 10,
    ...(spec.geometry ? { geometry: spec.geometry } : {}),
  });
  const image = join(work, 'image');
  const previous = join(work, 'previous');
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
    const target = join(work, `restore-${snap.id}`);
    await restoreSnapshot(reopened, { volume: 'vol', snapshot: snap.id, target });
    expect({ id: snap.id, mode: snap.mode, sha: await sha256File(target) }).toEqual({ id: snap.id, mode: snap.mode, sha: snap.sha });
  }
  const report = await checkRepository(reopened, { readData: true });
  expect(report.errors).toEqual([]);
}
