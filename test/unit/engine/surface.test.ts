// The engine's public surface (src/engine/index.ts) as the layers above use it, on the memory
// store: copy writes its snapshot as backup does, the map walker sees each node once and every
// leaf in order, and the library API checks a backup request once, before anything is stored.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/clock.js';
import { MapWalker, copySnapshot } from '../../../src/engine/index.js';
import { Codec, Repository, UsageError, backupVolume, listSnapshots, restoreSnapshot } from '../../../src/index.js';
import type { Manifest } from '../../../src/format/types.js';
import { MemoryStore } from '../../../src/store/memory/memory-store.js';
import { tempDir } from '../../helpers/cli.js';
import { Rng } from '../../helpers/random.js';

const KiB = 1024;
const SEGMENT = 64 * KiB;
const GEOMETRY = { segmentSize: SEGMENT, fanout: 4 };

function newRepo(store = new MemoryStore()): Promise<Repository> {
  return Repository.init(store, { password: 'pw', compression: Codec.Zstd, kdfLog2N: 10, geometry: GEOMETRY });
}

describe('the engine surface', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let img: string;
  beforeAll(async () => {
    dir = await tempDir('snaptier-surface-');
    img = join(dir.path, 'v.img');
  });
  afterAll(() => dir.cleanup());

  /** A volume of 20 segments whose segments 5-7 and 13 are zeros (holes in the map). */
  async function sparseImage(seed: number): Promise<Buffer> {
    const data = new Rng(seed).bytes(20 * SEGMENT);
    for (const s of [5, 6, 7, 13]) data.fill(0, s * SEGMENT, (s + 1) * SEGMENT);
    await writeFile(img, data);
    return data;
  }

  it('copySnapshot writes the snapshot a backup wrote: same id, time, size, labels, source id and image, restorable alone', async () => {
    const src = await newRepo();
    await sparseImage(151);
    const b = await backupVolume(src, { volume: 'v', source: img, labels: { tier: 'gold' }, sourceId: 'lv@1', time: new Date('2026-01-02T03:04:05Z') });
    const dstStore = new MemoryStore();
    const dst = await newRepo(dstStore);
    const out = await copySnapshot(src, dst, { snapshot: b.manifest, base: null, id: b.manifest.id, labels: b.manifest.labels, name: 'v', phase: 'copy' });
    const m = out.manifest;
    expect(m.id.equals(b.manifest.id)).toBe(true);
    expect({ volume: m.volume, timeMs: m.timeMs, size: m.size, labels: m.labels, sourceId: m.sourceId, rootLevel: m.rootLevel, parent: m.parent }).toEqual({
      volume: 'v',
      timeMs: Date.parse('2026-01-02T03:04:05Z'),
      size: 20 * SEGMENT,
      labels: { tier: 'gold' },
      sourceId: 'lv@1',
      rootLevel: b.manifest.rootLevel,
      parent: null,
    });
    expect(m.imageDigest.equals(b.manifest.imageDigest)).toBe(true);
    expect(m.stats.mode).toBe('copy');
    // Every pack the manifest names is at the destination, and its uploads are counted.
    const packs = dstStore.keys().filter((k) => k.startsWith('data/') || k.startsWith('tree/'));
    expect(m.packs).toHaveLength(packs.length);
    expect(m.stats.objectsUploaded).toBe(packs.length);
    expect(m.stats.bytesUploaded).toBe(packs.reduce((n, k) => n + dstStore.peek(k)!.length, 0));
    // Not committed: the caller does that.
    expect(await listSnapshots(dst, 'v')).toHaveLength(0);
  });

  it('copySnapshot on a base sends only the segments that changed since it', async () => {
    const src = await newRepo();
    const data = await sparseImage(152);
    const first = await backupVolume(src, { volume: 'v', source: img });
    data.fill(7, 2 * SEGMENT, 2 * SEGMENT + 4 * KiB);
    await writeFile(img, data);
    const second = await backupVolume(src, { volume: 'v', source: img });
    const dst = await newRepo();
    const c1 = await copySnapshot(src, dst, { snapshot: first.manifest, base: null, id: first.manifest.id, labels: {}, name: 'first', phase: 'copy' });
    const c2 = await copySnapshot(src, dst, {
      snapshot: second.manifest,
      base: { src: first.manifest, dst: c1.manifest },
      id: second.manifest.id,
      labels: {},
      name: 'second',
      phase: 'copy',
    });
    expect(c2.manifest.parent?.equals(c1.manifest.id)).toBe(true);
    expect(c2.manifest.imageDigest.equals(second.manifest.imageDigest)).toBe(true);
    // One segment's chunks fetched, not the volume's.
    expect(c2.bytesFetched).toBeGreaterThan(0);
    expect(c2.bytesFetched).toBeLessThan(SEGMENT);
    expect(c1.bytesFetched).toBeGreaterThan(10 * SEGMENT);
  });

  it('the map walker yields every leaf in order with holes absent, and visits nodes shared by two snapshots once', async () => {
    const repo = await newRepo();
    const data = await sparseImage(153);
    const a = (await backupVolume(repo, { volume: 'v', source: img })).manifest;
    data.fill(9, 0, 4 * KiB);
    await writeFile(img, data);
    const b = (await backupVolume(repo, { volume: 'v', source: img })).manifest;
    const walker = new MapWalker(repo);
    const indexes: number[] = [];
    for await (const v of walker.leaves(a)) indexes.push(v.index);
    expect(indexes).toEqual([0, 1, 2, 3, 4, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18, 19]);
    const some: number[] = [];
    for await (const v of walker.leaves(a, 6, 10)) some.push(v.index);
    expect(some).toEqual([8, 9]);

    const seen = new Set<string>();
    const nodes = (m: Manifest) => {
      let n = 0;
      let chunks = 0;
      return walker.visit(m.root!, m.rootLevel, seen, () => n++, () => chunks++).then(() => ({ n, chunks }));
    };
    const first = await nodes(a);
    const second = await nodes(b);
    // 16 leaves and their interior nodes; the second map shares all but the path to segment 0.
    expect(first.n).toBeGreaterThan(16);
    expect(second.n).toBe(b.rootLevel + 1);
    expect(second.chunks).toBeGreaterThan(0);
  });

  describe('a backup request is checked once, by the library, before anything is stored', () => {
    let repo: Repository;
    let store: MemoryStore;
    let other: string;
    beforeAll(async () => {
      store = new MemoryStore();
      repo = await newRepo(store);
      await sparseImage(154);
      await backupVolume(repo, { volume: 'v', source: img });
      other = join(dir.path, 'other.img');
      await writeFile(other, Buffer.alloc(3 * SEGMENT));
    });

    it.each([
      ['a previous source and a change list together', { previousSource: 'x', changedExtents: [] }, /--previous-source and --changed-extents exclude each other/],
      ['an empty base', { base: '' }, /--base is empty/],
      ['an unknown hint check', { verifyHints: 'most' as 'sample' }, /--verify-hints takes sample, full or off, not most/],
      ['a change list past the end of the source', { changedExtents: [{ offset: 20 * SEGMENT - 4 * KiB, length: 8 * KiB }] }, /extent 0 .* ends past the end of the source/],
    ])('refuses %s', async (_what, extra, message) => {
      const puts = store.requests.put;
      const err = await backupVolume(repo, { volume: 'v', source: img, ...extra }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Error).message).toMatch(message);
      expect(store.requests.put).toBe(puts);
    });

    it('refuses a previous source whose size is not the base snapshot\'s', async () => {
      const puts = store.requests.put;
      const err = await backupVolume(repo, { volume: 'v', source: img, previousSource: other }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Error).message).toMatch(/previous source .*other\.img has 196608 bytes but snapshot [0-9a-f]{8}.* has 1310720: it is not that snapshot/);
      expect(store.requests.put).toBe(puts);
    });
  });

  it("takes the backup's time and its checkpoints' from the injected clock", async () => {
    const repo = await newRepo();
    await sparseImage(155);
    const clock = new ManualClock(Date.parse('2031-05-06T07:08:09Z'));
    const r = await backupVolume(repo, { volume: 'v', source: img, clock });
    expect(r.manifest.timeMs).toBe(clock.now());
    expect(r.durationMs).toBe(0);
    const target = join(dir.path, 'restored');
    await restoreSnapshot(repo, { volume: 'v', snapshot: 'latest', target });
    expect((await readFile(target)).equals(await readFile(img))).toBe(true);
  });

  it('a first backup with a previous source reads everything and ignores it, as before', async () => {
    const repo = await newRepo();
    await sparseImage(156);
    const r = await backupVolume(repo, { volume: 'v', source: img, previousSource: join(dir.path, 'absent.img') });
    expect(r.manifest.stats.mode).toBe('full');
    expect(r.hints).toBeNull();
  });
});
