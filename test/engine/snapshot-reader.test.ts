// The random-access snapshot reader in process, on a deep map (small segments, fanout 4) after an
// incremental chain: random reads equal the image, holes read as zeros, the cache stays within
// its cap, sequential reads trigger read-ahead, a damaged pack fails exactly the reads that touch
// it, and a lying second-level cache is caught by the proof and never served.
import { copyFile, open, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnapshotReader } from '../../src/engine/snapshot-reader.js';
import { Codec, IntegrityError, LocalStore, Repository, backupVolume } from '../../src/index.js';
import { describe as describeSnapshot } from '../../src/repo/catalog.js';
import type { Manifest } from '../../src/format/types.js';
import { tempDir } from '../helpers/cli.js';
import { mutate, writeImage } from '../helpers/images.js';
import { Rng } from '../helpers/random.js';

const SEG = 64 << 10;
const SIZE = 6 * (1 << 20) + 5000; // a partial last segment

let tmp: { path: string; cleanup: () => Promise<void> };
let repo: Repository;
let manifest: Manifest;
let image: Buffer;

beforeAll(async () => {
  tmp = await tempDir('snaptier-reader-');
  repo = await Repository.init(new LocalStore(join(tmp.path, 'repo')), {
    password: 'pw',
    compression: Codec.Zstd,
    kdfLog2N: 10,
    packSize: 1 << 20,
    geometry: { segmentSize: SEG, fanout: 4 },
  });
  const a = join(tmp.path, 'a');
  const b = join(tmp.path, 'b');
  await writeImage(a, SIZE, 3);
  await backupVolume(repo, { volume: 'v', source: a });
  await copyFile(a, b);
  const rng = new Rng(5);
  for (const k of ['scattered', 'contiguous', 'zero'] as const) await mutate(b, k, rng);
  manifest = (await backupVolume(repo, { volume: 'v', source: b })).manifest;
  image = await readFile(b);
  expect(manifest.rootLevel).toBeGreaterThanOrEqual(2);
}, 60_000);

afterAll(async () => {
  await tmp?.cleanup();
});

describe('SnapshotReader', () => {
  it('reads any range bit-exact, keeps its cache within the cap, and reads ahead on sequential reads', async () => {
    const r = new SnapshotReader(repo, manifest, describeSnapshot(manifest), { cacheBytes: 4 * SEG, readAhead: 4 });
    const rng = new Rng(9);
    for (let i = 0; i < 200; i++) {
      const off = rng.int(SIZE);
      const len = Math.min(SIZE - off, rng.int(3 * SEG));
      expect((await r.read(off, len)).equals(image.subarray(off, off + len)), `${off}+${len}`).toBe(true);
      expect(r.stats.cachedBytes).toBeLessThanOrEqual(4 * SEG);
    }
    const before = r.stats.readAheads;
    const cursor = { lastSegment: -2, aheadTo: 0 };
    for (let off = 0; off < SIZE; off += 32 << 10) {
      const len = Math.min(32 << 10, SIZE - off);
      expect((await r.read(off, len, cursor)).equals(image.subarray(off, off + len))).toBe(true);
    }
    expect(r.stats.readAheads).toBeGreaterThan(before);
    expect(r.stats.cacheHits).toBeGreaterThan(0);
  });

  it('reports holes that read as zeros and covers the volume exactly', async () => {
    const r = new SnapshotReader(repo, manifest, 'v');
    const ext = await r.allocation(0, SIZE);
    expect(ext.reduce((a, e) => a + e.length, 0)).toBe(SIZE);
    expect(ext.some((e) => e.hole)).toBe(true);
    for (const e of ext.filter((x) => x.hole)) expect(image.subarray(e.offset, e.offset + e.length).every((x) => x === 0)).toBe(true);
  });

  it('never serves a second-level cache entry that does not prove', async () => {
    const lies = { get: async () => Buffer.alloc(SEG, 0x42), put: async () => {} };
    const r = new SnapshotReader(repo, manifest, 'v', { spill: lies, cacheBytes: SEG });
    for (let off = 0; off + SEG <= SIZE; off += 7 * SEG) expect((await r.read(off, SEG)).equals(image.subarray(off, off + SEG))).toBe(true);
    expect(r.stats.spillHits).toBe(0);
  });

  it('fails reads that touch a damaged pack with an IntegrityError naming the range, and serves the rest', async () => {
    const dataDir = join(tmp.path, 'repo', 'data');
    const files: string[] = [];
    const walk = async (d: string): Promise<void> => {
      for (const e of await readdir(d, { withFileTypes: true })) {
        if (e.isDirectory()) await walk(join(d, e.name));
        else files.push(join(d, e.name));
      }
    };
    await walk(dataDir);
    files.sort();
    // Damage one pack at a time until one that this snapshot reads is found (pack names are
    // random, and some packs hold only chunks the later snapshot no longer uses).
    let failed = 0;
    for (const path of files) {
      const pack = await readFile(path);
      const saved = Buffer.from(pack);
      for (let i = 100; i < 164; i++) pack[i] = pack[i]! ^ 0xff;
      await writeFile(path, pack);
      try {
        const r = new SnapshotReader(repo, manifest, 'snapshot x', { readAhead: 0 });
        for (let off = 0; off < SIZE; off += SEG) {
          const len = Math.min(SEG, SIZE - off);
          try {
            expect((await r.read(off, len)).equals(image.subarray(off, off + len))).toBe(true);
          } catch (err) {
            expect(err).toBeInstanceOf(IntegrityError);
            expect((err as Error).message).toMatch(/^snapshot x: cannot prove bytes \d+-\d+/);
            failed++;
          }
        }
      } finally {
        const fh = await open(path, 'w');
        await fh.write(saved);
        await fh.close();
      }
      if (failed > 0) break;
    }
    expect(failed).toBeGreaterThan(0);
    expect(failed).toBeLessThan(SIZE / SEG / 2);
  });
});
