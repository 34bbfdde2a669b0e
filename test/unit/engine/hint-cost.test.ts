// What checking a hint costs the store: the sample reads the leaves of its segments a batch at a
// time, level by level with each level's nodes fetched together, through the backup's own node
// reader. Counted on the memory store's request counters (requests, not time).
import { copyFile, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Codec, Repository, backupVolume } from '../../../src/index.js';
import { MemoryStore } from '../../../src/store/memory/memory-store.js';
import { tempDir } from '../../helpers/cli.js';
import { Rng } from '../../helpers/random.js';

const KiB = 1024;
const SEGMENT = 32 * KiB;
const SIZE = 512 * SEGMENT; // 16 MiB, 512 leaves under a map of 3 levels (fanout 8)

interface Cost {
  get: number;
  put: number;
  list: number;
  sampled: number;
}

describe('the hint check of a backup', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let base: string;
  let next: string;
  /** A repository holding the base snapshot; each incremental runs on a copy of it. */
  let backedUp: MemoryStore;
  beforeAll(async () => {
    dir = await tempDir('snaptier-hint-cost-');
    base = join(dir.path, 'base.img');
    next = join(dir.path, 'next.img');
    const rng = new Rng(141);
    await writeFile(base, rng.bytes(SIZE));
    await copyFile(base, next);
    // 1% of the volume changes: 10 random 16 KiB blocks.
    const f = await open(next, 'r+');
    for (let i = 0; i < 10; i++) await f.write(rng.bytes(16 * KiB), 0, 16 * KiB, rng.int(SIZE / (16 * KiB)) * 16 * KiB);
    await f.close();
    backedUp = new MemoryStore();
    const repo = await Repository.init(backedUp, { password: null, compression: Codec.Lz4, kdfLog2N: 10, geometry: { segmentSize: SEGMENT, fanout: 8 } });
    await backupVolume(repo, { volume: 'v', source: base });
  });
  afterAll(() => dir.cleanup());

  /** The incremental on a copy of the repository holding the base snapshot, and what it cost. */
  async function incremental(verifyHints: 'sample' | 'off'): Promise<Cost> {
    const store = new MemoryStore();
    for (const k of backedUp.keys()) await store.put(k, [backedUp.peek(k)!]);
    const repo = await Repository.open(store, async () => null);
    const before = { ...store.requests };
    const rng = new Rng(142);
    const r = await backupVolume(repo, { volume: 'v', source: next, previousSource: base, verifyHints, random: () => rng.next() });
    expect(r.hints?.mismatched).toBe(0);
    return {
      get: store.requests.get - before.get,
      put: store.requests.put - before.put,
      list: store.requests.list - before.list,
      sampled: r.hints?.sampled ?? 0,
    };
  }

  it('costs one GET per level of the map, not one per sampled leaf: a 1% incremental with --previous-source', async () => {
    const off = await incremental('off');
    const sample = await incremental('sample');
    console.info(`1% incremental, --previous-source, 16 MiB in 512 leaves: verify off ${JSON.stringify(off)}; sample ${JSON.stringify(sample)}`);
    expect(sample.sampled).toBeGreaterThanOrEqual(256);
    expect(off.sampled).toBe(0);
    expect(sample.put).toBe(off.put);
    expect(sample.list).toBe(off.list);
    // The map has 4 levels (root, 8 and 64 interior nodes, 512 leaves); the sample reads 128
    // leaves scattered over them, at most one GET per level, and the backup's walk then finds
    // them cached. Read with one walk each, they cost about 128 GETs more.
    expect(sample.get).toBeLessThanOrEqual(off.get + 4);
  });
});
