// What a restore asks of the store: a snapshot whose data is scattered over a pack in many small
// ranges (an incremental's pack, used by segments all over the volume) and streamed from large
// packs (the full backup's) is read with few ranged GETs, each needed part of a pack once, and
// restored bit-exact. Also the pure planner behind it (restore-plan.ts).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Codec, Repository, backupVolume, restoreSnapshot } from '../../../src/index.js';
import { RESTORE_SPAN_MAX } from '../../../src/defaults.js';
import { type PlanOptions, type PlanSegment, planWindow } from '../../../src/engine/restore-plan.js';
import type { BlobRef } from '../../../src/format/types.js';
import type { GetOptions } from '../../../src/store/object-store.js';
import { MemoryStore } from '../../../src/store/memory/memory-store.js';
import { ForwardingStore } from '../../../src/store/wrap/forwarding.js';
import { tempDir } from '../../helpers/cli.js';
import { Rng } from '../../helpers/random.js';

/** Records every GET of a data pack: key and range. */
class DataGets extends ForwardingStore {
  readonly gets: Array<{ key: string; offset: number; length: number }> = [];
  override get(key: string, options?: GetOptions): Promise<Buffer> {
    if (key.startsWith('data/')) this.gets.push({ key, offset: options?.range?.offset ?? 0, length: options?.range?.length ?? -1 });
    return super.get(key, options);
  }
}

describe('restore reads', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    dir = await tempDir('snaptier-restore-reads-');
  });
  afterAll(async () => {
    await dir.cleanup();
  });

  it('reads scattered small ranges of one pack with one GET and each part of a large pack once, bit-exact', async () => {
    const rng = new Rng(17);
    const memory = new MemoryStore();
    const store = new DataGets(memory);
    // 64 KiB segments: 192 of them, restored in several batches (4-8 MiB of sealed bytes each).
    const repo = await Repository.init(store, { password: 'pw', compression: Codec.Zstd, kdfLog2N: 10, geometry: { segmentSize: 65536, fanout: 16 } });
    const size = 12 << 20;
    const first = rng.bytes(size);
    const a = join(dir.path, 'a.img');
    const b = join(dir.path, 'b.img');
    await writeFile(a, first);
    await backupVolume(repo, { volume: 'v', source: a });
    // 600 random 4 KiB blocks all over the volume: one ~2.4 MiB pack of small chunks, needed by
    // segments from the first batch to the last.
    const second = Buffer.from(first);
    const blocks = new Set<number>();
    while (blocks.size < 600) blocks.add(rng.int(size / 4096));
    for (const blk of blocks) second.set(rng.bytes(4096), blk * 4096);
    await writeFile(b, second);
    await backupVolume(repo, { volume: 'v', source: b, previousSource: a });

    const packs = new Map<string, number>();
    for (const key of memory.keys()) if (key.startsWith('data/')) packs.set(key, memory.peek(key)!.length);
    expect(packs.size, 'a pack for the full backup, one for the incremental').toBe(2);

    store.gets.length = 0;
    const target = join(dir.path, 'restored.img');
    await restoreSnapshot(repo, { volume: 'v', snapshot: 'latest', target });
    expect((await readFile(target)).equals(second), 'restored bit-exact').toBe(true);

    // Each pack is read in at most ceil(size / span limit) GETs; no byte of a pack twice.
    const bound = [...packs.values()].reduce((n, len) => n + Math.ceil(len / RESTORE_SPAN_MAX), 0);
    expect(store.gets.length).toBeLessThanOrEqual(bound);
    const small = [...packs].sort((x, y) => x[1] - y[1])[0]![0];
    expect(store.gets.filter((g) => g.key === small), 'the incremental pack: one GET').toHaveLength(1);
    for (const key of packs.keys()) {
      const ranges = store.gets.filter((g) => g.key === key).sort((x, y) => x.offset - y.offset);
      for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.offset, `${key} read twice`).toBeGreaterThanOrEqual(ranges[i - 1]!.offset + ranges[i - 1]!.length);
    }
  });
});

describe('the restore plan', () => {
  const pack = (n: number) => Buffer.alloc(16, n);
  let nextId = 0;
  const chunk = (p: number, offset: number, length: number): BlobRef => {
    const id = Buffer.alloc(16);
    id.writeUInt32BE(++nextId);
    return { id, pack: pack(p), offset, length, rawLength: length };
  };
  const seg = (...chunks: BlobRef[]): PlanSegment => ({ leaf: { extents: chunks.map((c) => ({ chunk: c })) } });
  const opts: PlanOptions = { batchBytes: 100, maxBatchBytes: 200, gap: 50, spanMax: 1000, keepBytes: 1000 };

  it('reads a pack used by every batch once and closes batches where no span continues', () => {
    // Pack 1 streams (segments in order), pack 2 holds one small chunk for each segment.
    const segments = Array.from({ length: 8 }, (_, i) => seg(chunk(1, i * 60, 60), chunk(2, i * 10, 10)));
    const batches = planWindow(segments, opts);
    expect(batches.length).toBeGreaterThan(1);
    const spans = new Set(batches.flatMap((b) => b.spans));
    const ofPack2 = [...spans].filter((s) => s.pack.equals(pack(2)));
    expect(ofPack2).toHaveLength(1);
    expect(ofPack2[0]!.users).toBe(batches.length);
    // Every chunk has a span that covers it.
    for (const b of batches) {
      for (const [k, s] of b.segments.entries()) {
        for (const [j, e] of s.leaf.extents.entries()) {
          const { blob, span } = b.chunks[b.chunkOf[k]![j]!]!;
          expect(blob.id.equals(e.chunk.id)).toBe(true);
          expect(span.start).toBeLessThanOrEqual(e.chunk.offset);
          expect(span.end).toBeGreaterThanOrEqual(e.chunk.offset + e.chunk.length);
          expect(b.spans).toContain(span);
        }
      }
    }
  });

  it('reads a run of up to 2 x spanMax in two spans of about half, not two and a remnant', () => {
    // 1,950 bytes in chunks of 400: filled greedily to 1,000 the spans would be 800, 800 and 350.
    const lengths = [400, 400, 400, 400, 350];
    let at = 0;
    const chunks = lengths.map((len) => {
      const c = chunk(3, at, len);
      at += len;
      return c;
    });
    const batches = planWindow([seg(...chunks)], { ...opts, batchBytes: 4000, maxBatchBytes: 4000 });
    const spans = batches.flatMap((b) => b.spans);
    expect(spans.map((s) => [s.start, s.end])).toEqual([
      [0, 1200],
      [1200, 1950],
    ]);
  });

  it('splits spans between far ranges, and per batch what would exceed the memory kept', () => {
    const far = planWindow([seg(chunk(1, 0, 10), chunk(1, 500, 10))], opts);
    expect(far[0]!.spans).toHaveLength(2);
    const segments = Array.from({ length: 8 }, (_, i) => seg(chunk(1, i * 60, 60), chunk(2, i * 10, 10)));
    const tight = planWindow(segments, { ...opts, keepBytes: 0 });
    const ofPack2 = new Set(tight.flatMap((b) => b.spans).filter((s) => s.pack.equals(pack(2))));
    expect(ofPack2.size).toBe(tight.length);
    for (const s of ofPack2) expect(s.users).toBe(1);
  });
});
