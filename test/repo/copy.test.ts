// copySnapshots on local stores with small segments and deep trees: random chains of two
// volumes (growing, shrinking, holes) copied to repositories of another fanout, pack size,
// compression and key, and on again, restore bit-exact at every point in time; a repository
// that cuts volumes differently is refused before anything is written.
import { copyFile, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Codec,
  IntegrityError,
  LocalStore,
  Repository,
  UsageError,
  backupVolume,
  copySnapshots,
  listSnapshots,
  restoreSnapshot,
  snapshotId,
} from '../../src/index.js';
import { tempDir } from '../helpers/cli.js';
import { type Mutation, mutate, sha256File, writeImage } from '../helpers/images.js';
import { Rng } from '../helpers/random.js';

const KiB = 1024;
const MUTATIONS: Mutation[] = ['scattered', 'contiguous', 'zero', 'grow', 'shrink', 'scattered'];

let dir: { path: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  dir = await tempDir('snaptier-copy-lib-');
});
afterAll(async () => dir?.cleanup());

async function repoAt(
  name: string,
  password: string | null,
  compression: Codec,
  fanout: number,
  segmentSize = 64 * KiB,
  packSize = 256 * KiB,
) {
  return Repository.init(new LocalStore(join(dir.path, name)), {
    password,
    compression,
    kdfLog2N: 10,
    packSize,
    geometry: { segmentSize, fanout },
  });
}

/** Snapshot id at the source -> SHA-256 of its image. */
async function chainOf(repo: Repository, volume: string, seed: number, steps: number, shas: Map<string, string>): Promise<void> {
  const rng = new Rng(seed);
  const image = join(dir.path, `${volume}-image`);
  await writeImage(image, 3 * 1024 * KiB + 777, seed);
  for (let i = 0; i < steps; i++) {
    if (i > 0) {
      await copyFile(image, `${image}.prev`);
      await mutate(image, MUTATIONS[(i + seed) % MUTATIONS.length]!, rng);
    }
    const r = await backupVolume(repo, { volume, source: image, time: new Date(Date.UTC(2026, 0, 1 + i, seed % 24)) });
    shas.set(snapshotId(r.manifest), await sha256File(image));
  }
}

async function expectRestores(repo: Repository, shas: Map<string, string>, tag: string): Promise<number> {
  let n = 0;
  for (const { manifest } of await listSnapshots(repo)) {
    const origin = snapshotId(manifest); // copies keep the original's id
    const target = join(dir.path, `restore-${tag}-${n++}`);
    await restoreSnapshot(repo, { volume: manifest.volume, snapshot: snapshotId(manifest), target });
    expect(await sha256File(target), `${tag}: copy of ${origin}`).toBe(shas.get(origin));
  }
  return n;
}

describe('copySnapshots', () => {
  it('copies random chains of two volumes across fanouts, keys and compression, bit-exact at every point in time', async () => {
    const src = await repoAt('src', 'pw-a', Codec.Zstd, 4);
    const shas = new Map<string, string>();
    await chainOf(src, 'alpha', 11, 6, shas);
    await chainOf(src, 'beta', 12, 5, shas);

    // fanout 4 -> 16: the image digests cannot be compared, the restores prove the copies.
    const mid = await repoAt('mid', null, Codec.Lz4, 16, 64 * KiB, 128 * KiB);
    const first = await copySnapshots(src, mid);
    expect(first.copied.map((c) => snapshotId(c.source)).sort()).toEqual([...shas.keys()].sort());
    expect(await expectRestores(mid, shas, 'mid')).toBe(11);

    // 16 -> 16: every copy's digest is checked against its source's before it is committed.
    const last = await repoAt('last', 'pw-c', Codec.None, 16);
    const second = await copySnapshots(mid, last);
    expect(second.copied).toHaveLength(11);
    for (const c of second.copied) expect(c.copy.imageDigest.equals(c.source.imageDigest)).toBe(true);
    expect(await expectRestores(last, shas, 'last')).toBe(11);

    // One more snapshot of one volume: only it travels, and only its change.
    await chainOf(src, 'alpha', 13, 1, shas);
    const more = await copySnapshots(src, mid, { volume: 'alpha' });
    expect(more.copied).toHaveLength(1);
    expect(more.skipped).toHaveLength(6);
    expect((await copySnapshots(src, mid)).copied).toHaveLength(0);
  }, 60_000);

  it('refuses a destination that cuts volumes differently, writing nothing', async () => {
    const src = await repoAt('src-geo', null, Codec.Zstd, 4);
    await chainOf(src, 'v', 21, 1, new Map());
    const other = await repoAt('other-geo', null, Codec.Zstd, 4, 128 * KiB);
    await expect(copySnapshots(src, other)).rejects.toThrow(UsageError);
    await expect(copySnapshots(src, other)).rejects.toThrow(/segment/);
    expect((await readdir(join(dir.path, 'other-geo'))).sort()).toEqual(['config']);
  });

  it('stops with an integrity error on damaged source data, committing nothing', async () => {
    const src = await repoAt('src-bad', 'pw', Codec.Zstd, 4);
    await chainOf(src, 'v', 31, 1, new Map());
    const dataDir = join(dir.path, 'src-bad', 'data');
    const sub = (await readdir(dataDir))[0]!;
    const pack = join(dataDir, sub, (await readdir(join(dataDir, sub)))[0]!);
    const fh = await open(pack, 'r+');
    const b = Buffer.alloc(1);
    await fh.read(b, 0, 1, 100);
    b[0] = b[0]! ^ 0x40;
    await fh.write(b, 0, 1, 100);
    await fh.close();
    const dst = await repoAt('dst-bad', 'pw2', Codec.Zstd, 4);
    const err = await copySnapshots(src, dst).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntegrityError);
    expect((err as Error).message).toMatch(/chunk .* of the source is damaged/);
    expect(await listSnapshots(dst)).toEqual([]);
  });
});
