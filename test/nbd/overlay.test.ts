// The copy-on-write overlay and hydration over an in-memory base export: partial-cluster writes
// filled from the base, trims and zeroes, merged reads and allocation, the map kept across a
// reopen and refused for another snapshot; hydration that completes, and one that meets an
// unreadable range and says so, keeping the clients' writes and the served view intact.
import { randomBytes } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntegrityError, UsageError } from '../../src/errors.js';
import { CLUSTER } from '../../src/nbd/cluster-map.js';
import { type AllocationExtent, type BlockExport, newCursor } from '../../src/nbd/export.js';
import { Hydration } from '../../src/nbd/hydrate.js';
import { CowExport } from '../../src/nbd/overlay.js';
import { tempDir } from '../helpers/cli.js';

const SIZE = 20 * (1 << 20) + 12345;
const ID = Buffer.alloc(32, 7);

class Base implements BlockExport {
  readonly name = 'v@00000000';
  readonly description = 'base';
  readonly size = SIZE;
  readonly writable = false;
  readonly data = randomBytes(SIZE);
  /** Reads touching this range fail, as a damaged pack does. */
  broken: { from: number; to: number } | null = null;
  constructor() {
    this.data.fill(0, 4 << 20, 8 << 20); // a hole
  }
  async read(offset: number, length: number): Promise<Buffer> {
    if (this.broken && offset < this.broken.to && offset + length > this.broken.from) throw new IntegrityError('cannot prove bytes');
    return Buffer.from(this.data.subarray(offset, offset + length));
  }
  async allocation(offset: number, length: number): Promise<AllocationExtent[]> {
    const parts: AllocationExtent[] = [];
    for (const [a, b, hole] of [
      [0, 4 << 20, false],
      [4 << 20, 8 << 20, true],
      [8 << 20, SIZE, false],
    ] as const) {
      const from = Math.max(a, offset);
      const to = Math.min(b, offset + length);
      if (to > from) parts.push({ offset: from, length: to - from, hole });
    }
    return parts;
  }
  write = () => Promise.reject(new Error('read-only'));
  trim = () => Promise.reject(new Error('read-only'));
  writeZeroes = () => Promise.reject(new Error('read-only'));
  flush = async () => {};
}

let tmp: { path: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  tmp = await tempDir('snaptier-overlay-');
});
afterAll(async () => {
  await tmp?.cleanup();
});

const all = (e: BlockExport) => e.read(0, e.size, newCursor());

describe('overlay', () => {
  it('merges writes, zeroes and trims with the base, persists across a reopen, and refuses another snapshot', async () => {
    const base = new Base();
    const file = join(tmp.path, 'ov');
    const opts = { writeZeros: false, snapshotId: ID, mapPath: `${file}.map` };
    const ov = await CowExport.open(base, file, opts);
    const want = Buffer.from(base.data);
    const w1 = Buffer.alloc(5000, 0xab);
    await ov.write(CLUSTER + 100, w1); // inside one cluster: the rest comes from the base
    w1.copy(want, CLUSTER + 100);
    await ov.writeZeroes(1 << 20, 3 * CLUSTER + 10);
    want.fill(0, 1 << 20, (1 << 20) + 3 * CLUSTER + 10);
    await ov.trim(SIZE - 5000, 5000); // the last, partial cluster
    want.fill(0, SIZE - 5000);
    expect((await all(ov)).equals(want)).toBe(true);
    const alloc = await ov.allocation(1 << 20, 3 * CLUSTER);
    expect(alloc).toEqual([{ offset: 1 << 20, length: 3 * CLUSTER, hole: true }]);
    await ov.close();
    // The overlay is sparse and the base untouched.
    expect((await stat(file)).blocks * 512).toBeLessThan(1 << 20);

    const again = await CowExport.open(base, file, opts);
    expect((await all(again)).equals(want)).toBe(true);
    await again.close();
    await expect(CowExport.open(base, file, { ...opts, snapshotId: Buffer.alloc(32, 9) })).rejects.toThrow(UsageError);

    const stranger = join(tmp.path, 'stranger');
    await writeFile(stranger, 'not an overlay');
    await expect(CowExport.open(base, stranger, { ...opts, mapPath: `${stranger}.map` })).rejects.toThrow(/not an overlay/);
  });
});

describe('hydration', () => {
  it('copies everything not written by clients, so the target is the volume with their writes', async () => {
    const base = new Base();
    const target = join(tmp.path, 'target');
    const cow = await CowExport.open(base, target, { writeZeros: true, snapshotId: ID, mapPath: `${target}.map` });
    const want = Buffer.from(base.data);
    const w = randomBytes(70000);
    await cow.write(10 << 20, w);
    w.copy(want, 10 << 20);
    await cow.trim(12 << 20, 100000);
    want.fill(0, 12 << 20, (12 << 20) + 100000);
    const h = new Hydration(cow);
    await h.run();
    expect(h.progress).toMatchObject({ done: true, failed: null, bytesHydrated: SIZE });
    await cow.close();
    expect((await readFile(target)).equals(want)).toBe(true);
  });

  it('reports a range it cannot read, keeps serving the merged view, and resumes from its map later', async () => {
    const base = new Base();
    base.broken = { from: 9 << 20, to: (9 << 20) + 1 };
    const target = join(tmp.path, 'target-broken');
    const opts = { writeZeros: true, snapshotId: ID, mapPath: `${target}.map` };
    const cow = await CowExport.open(base, target, opts);
    const w = randomBytes(4096);
    await cow.write(15 << 20, w);
    const h = new Hydration(cow);
    await h.run();
    expect(h.progress.done).toBe(false);
    expect(h.progress.failed).toMatch(/cannot prove bytes/);
    expect(h.progress.failedRanges).toEqual([{ offset: 8 << 20, length: 8 << 20 }]);
    // Outside the broken range, reads are the base with the client's write.
    const got = await cow.read(15 << 20, 8192, newCursor());
    expect(got.subarray(0, 4096).equals(w)).toBe(true);
    expect(got.subarray(4096).equals(base.data.subarray((15 << 20) + 4096, (15 << 20) + 8192))).toBe(true);
    await expect(cow.read(9 << 20, 10, newCursor())).rejects.toThrow(IntegrityError);
    await cow.close();

    // The store is back: a new run picks up the map and copies only what is missing.
    base.broken = null;
    const again = await CowExport.open(base, target, opts);
    const h2 = new Hydration(again);
    await h2.run();
    expect(h2.progress.done).toBe(true);
    expect(h2.progress.bytesCopied).toBeLessThanOrEqual(8 << 20);
    await again.close();
    const want = Buffer.from(base.data);
    w.copy(want, 15 << 20);
    expect((await readFile(target)).equals(want)).toBe(true);
  });
});
