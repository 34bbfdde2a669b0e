// A backup that fails half-way (a store that stops accepting writes, as a killed process does)
// leaves checkpoints, and the next run resumes it: it uploads only what was not done, reuses
// nothing the source no longer holds, and the result restores bit-exact. What the failed run
// leaves is reported by check as warnings and handed to prune by the leftovers module.
import { copyFile, mkdir, open, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Codec, LocalStore, Repository, backupVolume, checkRepository, listSnapshots, restoreSnapshot } from '../../src/index.js';
import { CHECKPOINT_PREFIX } from '../../src/format/layout.js';
import { leftoverWarnings, scanCheckpoints, sweepTemporary } from '../../src/repo/leftovers.js';
import { FaultyStore } from '../../src/store/wrap/faults.js';
import { tempDir } from '../helpers/cli.js';
import { Rng } from '../helpers/random.js';

const MiB = 1024 * 1024;
let dir: { path: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  dir = await tempDir('snaptier-resume-');
});
afterAll(async () => dir?.cleanup());

async function newRepo(name: string): Promise<{ root: string; store: LocalStore }> {
  const root = join(dir.path, name);
  const store = new LocalStore(root);
  await Repository.init(store, { password: 'pw', compression: Codec.Zstd, kdfLog2N: 10, packSize: MiB });
  return { root, store };
}

/** The repository opened on a store that refuses every put from the `failAt`-th on. */
async function failingAfter(store: LocalStore, failAt: number): Promise<Repository> {
  const plan = Array.from({ length: 200 }, (_, i) => ({ op: 'put' as const, call: failAt + i, retriable: false }));
  return Repository.open(new FaultyStore(store, plan), async () => 'pw');
}

async function randomImage(path: string, size: number, seed: number): Promise<void> {
  await writeFile(path, new Rng(seed).bytes(size));
}

async function checkpointCount(store: LocalStore): Promise<number> {
  let n = 0;
  for await (const _ of store.list(CHECKPOINT_PREFIX)) n++;
  return n;
}

describe('resuming an interrupted backup', () => {
  it('a first backup that failed after some checkpoints resumes with less upload, and restores bit-exact', async () => {
    const image = join(dir.path, 'first-image');
    await randomImage(image, 40 * MiB + 4321, 1);
    const fresh = await newRepo('fresh');
    const freshRun = await backupVolume(await Repository.open(fresh.store, async () => 'pw'), { volume: 'v', source: image });
    expect(freshRun.resumed).toBe(false);
    expect(freshRun.checkpoints).toBeGreaterThanOrEqual(4);
    expect(await checkpointCount(fresh.store)).toBe(0);

    const { store } = await newRepo('killed');
    await expect(backupVolume(await failingAfter(store, 30), { volume: 'v', source: image })).rejects.toThrow(/injected fault/);
    const repo = await Repository.open(store, async () => 'pw');
    expect(await listSnapshots(repo, 'v')).toEqual([]);
    expect(await checkpointCount(store)).toBe(1);
    const check = await checkRepository(repo, { readData: true });
    expect(check.errors).toEqual([]);
    expect(check.warnings.some((w) => /interrupted .* the next backup of the volume resumes it/.test(w))).toBe(true);
    // Packs the checkpoint references are leftovers to resume, not orphans.
    const orphans = check.warnings.filter((w) => /not referenced by any snapshot/.test(w)).length;
    expect(orphans).toBeLessThan(check.packs - 8);
    const scan = await scanCheckpoints(repo, Date.now());
    expect(scan.live).toHaveLength(1);
    expect(scan.live[0]!.roots.length).toBeGreaterThan(0);
    expect((await scanCheckpoints(repo, Date.now() + 25 * 3600_000)).stale).toHaveLength(1);

    const resumed = await backupVolume(repo, { volume: 'v', source: image });
    expect(resumed.resumed).toBe(true);
    expect(resumed.bytesReused).toBeGreaterThanOrEqual(16 * MiB);
    expect(resumed.bytesUploaded).toBeLessThan(freshRun.bytesUploaded - 16 * MiB);
    expect(await checkpointCount(store)).toBe(0);
    const target = join(dir.path, 'first-restore');
    await restoreSnapshot(repo, { volume: 'v', snapshot: 'latest', target });
    expect((await readFile(target)).equals(await readFile(image))).toBe(true);
    expect((await checkRepository(repo, { readData: true })).errors).toEqual([]);
  });

  for (const mode of ['fingerprints', 'previous-source', 'changed-extents'] as const) {
    it(`an incremental (${mode}) resumed after the source changed reuses only what still matches`, async () => {
      const { store } = await newRepo(`incr-${mode}`);
      const repo = await Repository.open(store, async () => 'pw');
      const base = join(dir.path, `base-${mode}`);
      const next = join(dir.path, `next-${mode}`);
      await randomImage(base, 24 * MiB, 2);
      await backupVolume(repo, { volume: 'v', source: base });
      // 16 MiB of new data from 4 MiB on: segments 4..19 change.
      await copyFile(base, next);
      const fh = await open(next, 'r+');
      await fh.write(new Rng(3).bytes(16 * MiB), 0, 16 * MiB, 4 * MiB);
      await fh.close();
      const changes = [{ offset: 4 * MiB, length: 16 * MiB }];
      const req = {
        volume: 'v',
        source: next,
        ...(mode === 'previous-source' ? { previousSource: base } : {}),
        ...(mode === 'changed-extents' ? { changedExtents: changes } : {}),
      };
      await expect(backupVolume(await failingAfter(store, 14), req)).rejects.toThrow(/injected fault/);
      expect(await listSnapshots(repo, 'v')).toHaveLength(1);
      expect(await checkpointCount(store)).toBe(1);

      // The source changes again inside the part the interrupted run finished.
      const fh2 = await open(next, 'r+');
      await fh2.write(new Rng(4).bytes(4096), 0, 4096, 5 * MiB + 8192);
      await fh2.close();
      const r = await backupVolume(repo, req);
      expect(r.resumed).toBe(true);
      expect(r.bytesReused).toBeGreaterThanOrEqual(4 * MiB);
      const target = join(dir.path, `restore-${mode}`);
      await restoreSnapshot(repo, { volume: 'v', snapshot: 'latest', target });
      expect((await readFile(target)).equals(await readFile(next))).toBe(true);
      const check = await checkRepository(repo, { readData: true });
      expect(check.errors).toEqual([]);
      expect(await checkpointCount(store)).toBe(0);
    });
  }
});

describe('leftovers of interrupted writes', () => {
  it('a local temporary file is a warning for check and swept by age', async () => {
    const { root, store } = await newRepo('temps');
    const repo = await Repository.open(store, async () => 'pw');
    await mkdir(join(root, 'data', 'ab'), { recursive: true });
    const stray = join(root, 'data', 'ab', `ab${'0'.repeat(30)}.tmp-0123456789ab`);
    await writeFile(stray, Buffer.alloc(1000));
    const now = Date.now();
    const check = await checkRepository(repo, { readData: false });
    expect(check.errors).toEqual([]);
    expect(check.warnings).toEqual([expect.stringMatching(/temporary object data\/ab\/ab0+\.tmp-0123456789ab \(1000 bytes/)]);
    expect(await sweepTemporary(repo, { nowMs: now, olderThanMs: 3600_000, dryRun: false })).toEqual([]);
    await utimes(stray, new Date(now - 2 * 3600_000), new Date(now - 2 * 3600_000));
    expect(await sweepTemporary(repo, { nowMs: now, olderThanMs: 3600_000, dryRun: true })).toHaveLength(1);
    const swept = await sweepTemporary(repo, { nowMs: now, olderThanMs: 3600_000, dryRun: false });
    expect(swept.map((t) => t.key)).toEqual([`data/ab/ab${'0'.repeat(30)}.tmp-0123456789ab`]);
    expect((await leftoverWarnings(repo, now, () => true)).warnings).toEqual([]);
  });
});
