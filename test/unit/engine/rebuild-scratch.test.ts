// rebuildEach with scratch memory (as the worker threads run it): chunks are opened into spare
// buffers that are reused once a chunk's last segment is taken. Whatever the order in which
// segments need their chunks (two large chunks in one segment, a chunk shared by segments
// that are not neighbours, small and large ones mixed), every segment comes out bit-exact and
// proven, and the spare buffers really are reused.
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../../src/engine/fingerprint.js';
import { type RebuildJob, type RebuildScratch, rebuildEach } from '../../../src/engine/segment-rebuild.js';
import { Codec } from '../../../src/format/compress.js';
import { BlobKind, makeSealer } from '../../../src/format/seal.js';
import { Rng } from '../../helpers/random.js';

const MiB = 1 << 20;
const KiB = 1 << 10;
const g = { blockSize: 4 * KiB, fingerprintSize: 16 * KiB, segmentSize: MiB, fanout: 256, packSize: 16 * MiB, maxChunkSize: MiB };

describe('rebuilding with reused chunk buffers', () => {
  it('keeps every open chunk intact until its last segment and reuses the buffers after', () => {
    const rng = new Rng(9);
    const sealer = makeSealer(Buffer.from(rng.bytes(32)), Codec.Zstd);
    // Compressible chunks (so they are opened into the spare buffers), of distinct content.
    const chunk = (n: number) => {
      const b = Buffer.alloc(n);
      for (let o = 0; o < n; o += 64) Buffer.from(rng.bytes(16)).copy(b, o);
      return b;
    };
    const plain = [chunk(MiB), chunk(512 * KiB), chunk(512 * KiB), chunk(768 * KiB), chunk(8 * KiB), chunk(MiB)];
    const ids = plain.map(() => Buffer.from(rng.bytes(16)));
    // Extents per segment: [start, length, chunk, chunkOffset]. Chunk 1 is shared by segments 0
    // and 2; segment 1 opens chunks 2 and 3 meanwhile; segment 3 is one whole chunk.
    const layout: Array<Array<[number, number, number, number]>> = [
      [
        [0, 512 * KiB, 1, 0],
        [512 * KiB, 512 * KiB, 0, 512 * KiB],
      ],
      [
        [0, 512 * KiB, 2, 0],
        [512 * KiB, 256 * KiB, 3, 0],
        [768 * KiB, 8 * KiB, 4, 0],
        [776 * KiB, 248 * KiB, 3, 520 * KiB],
      ],
      [
        [0, 256 * KiB, 3, 256 * KiB],
        [256 * KiB, 256 * KiB, 1, 256 * KiB],
        [512 * KiB, 512 * KiB, 0, 0],
      ],
      [[0, MiB, 5, 0]],
    ];
    const expected = layout.map((extents) => {
      const seg = Buffer.alloc(MiB);
      for (const [start, length, c, off] of extents) plain[c]!.copy(seg, start, off, off + length);
      return seg;
    });
    const fps = (seg: Buffer) => Buffer.concat(Array.from({ length: MiB / g.fingerprintSize }, (_, f) => fingerprint(seg.subarray(f * g.fingerprintSize, (f + 1) * g.fingerprintSize))));
    const job: RebuildJob = {
      chunks: plain.map((p, i) => ({ id: ids[i]!, rawLength: p.length, sealed: Buffer.concat(sealer.seal(BlobKind.Data, ids[i]!, p)), where: `pack ${i}` })),
      segments: layout.map((extents, index) => ({
        index,
        length: MiB,
        extents: extents.map(([start, length, c, chunkOffset]) => ({ start, length, chunk: c, chunkOffset })),
        fingerprints: fps(expected[index]!),
      })),
    };
    const scratch: RebuildScratch = { segment: Buffer.alloc(MiB), spare: [] };
    for (let round = 0; round < 2; round++) {
      const before = new Set(scratch.spare);
      let k = 0;
      for (const seg of rebuildEach(g, sealer, job, scratch)) {
        expect(seg.damage, `round ${round}, segment ${seg.index}`).toEqual([]);
        expect(seg.data.equals(expected[k]!), `round ${round}, segment ${seg.index} bit-exact`).toBe(true);
        k++;
      }
      expect(k).toBe(4);
      // Buffers came back for the next job; the second round opened its chunks into them.
      expect(scratch.spare.length).toBeGreaterThan(0);
      if (round === 1) expect(scratch.spare.some((b) => before.has(b))).toBe(true);
    }
  });
});
