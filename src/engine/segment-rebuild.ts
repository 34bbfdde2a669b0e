// The CPU work of a restore for a batch of segments, as a pure function so it runs inline or
// in a worker thread: open (authenticate, decompress) each chunk once, rebuild each segment,
// and prove every fingerprint block before it may be written.
import { BlobKind, type Sealer } from '../format/seal.js';
import type { Geometry } from './context.js';
import { FINGERPRINT_BYTES } from '../defaults.js';
import { fingerprint, zeroFingerprint } from './fingerprint.js';

/** Holes up to this long between two written runs of a segment are written as zeros. */
const RUN_MERGE_GAP = 64 << 10;

export interface RebuildChunk {
  id: Buffer;
  rawLength: number;
  /** The sealed bytes, or null when they could not be fetched (then `error` says why). */
  sealed: Buffer | null;
  error?: string;
  where: string;
}

export interface RebuildSegment {
  index: number;
  length: number;
  extents: Array<{ start: number; length: number; chunk: number; chunkOffset: number }>;
  fingerprints: Buffer;
}

export interface RebuildJob {
  chunks: RebuildChunk[];
  segments: RebuildSegment[];
}

export interface RebuiltSegment {
  index: number;
  data: Buffer;
  /** Proven runs of data to write, [start, end) relative to the segment; the rest are holes. */
  runs: Array<[number, number]>;
  damage: Array<{ from: number; to: number; why: string }>;
}

export function rebuildSegments(g: Geometry, sealer: Sealer, job: RebuildJob): RebuiltSegment[] {
  return [...rebuildEach(g, sealer, job)];
}

/**
 * Memory a thread reuses from one segment to the next: where segments that need assembling are
 * built (`segment`, one segment long), and spare buffers of maxChunkSize that chunks are opened
 * into. Reused memory is already faulted in; fresh memory costs a page fault per 4 KiB.
 */
export interface RebuildScratch {
  segment: Buffer;
  spare: Buffer[];
}

/** Spare chunk buffers kept between segments: more than one segment's chunks are rarely open. */
const SPARE_KEEP = 4;
/** Chunks of at least this many plain bytes are opened into spare buffers. */
const SPARE_FROM = 256 << 10;

/**
 * The segments of a job one at a time. With `scratch`, a segment's bytes (assembled, or the
 * one chunk it is) are valid only until the next segment is taken: the caller writes each one
 * before asking for the next.
 */
export function* rebuildEach(g: Geometry, sealer: Sealer, job: RebuildJob, scratch?: RebuildScratch): Generator<RebuiltSegment> {
  // Chunks are opened when a segment first needs them and let go after the last one that does,
  // so a job holds its sealed bytes and about one segment's opened chunks, not all of them.
  const lastUse = new Int32Array(job.chunks.length).fill(-1);
  job.segments.forEach((s, i) => {
    for (const e of s.extents) lastUse[e.chunk] = i;
  });
  const plain: ChunkBytes[] = new Array(job.chunks.length).fill(null);
  /** Per chunk, the spare buffer it was opened into, to give back after its last use. */
  const lent: Array<Buffer | undefined> = new Array(job.chunks.length);
  for (let i = 0; i < job.segments.length; i++) {
    const s = job.segments[i]!;
    for (const e of s.extents) {
      const c = job.chunks[e.chunk];
      if (c && plain[e.chunk] === null) {
        // Small chunks (an incremental's) get memory of their size, which malloc recycles anyway.
        const into = scratch && c.rawLength >= SPARE_FROM ? (scratch.spare.pop() ?? Buffer.allocUnsafeSlow(g.maxChunkSize)) : undefined;
        plain[e.chunk] = openChunk(sealer, c, into);
        lent[e.chunk] = into;
      }
    }
    yield rebuildOne(g, s, plain, scratch?.segment, scratch !== undefined);
    for (const e of s.extents) {
      if (lastUse[e.chunk] !== i) continue;
      plain[e.chunk] = null;
      const b = lent[e.chunk];
      lent[e.chunk] = undefined;
      if (b && scratch && scratch.spare.length < SPARE_KEEP) scratch.spare.push(b);
    }
  }
}

function openChunk(sealer: Sealer, c: RebuildChunk, into?: Buffer): Buffer | string {
  if (!c.sealed) return c.error ?? `chunk in ${c.where} is missing`;
  try {
    return sealer.open(BlobKind.Data, c.id, c.sealed, c.rawLength, into);
  } catch (err) {
    return `chunk ${c.id.toString('hex').slice(0, 16)} in ${c.where} is damaged: ${(err as Error).message}`;
  }
}

/**
 * The chunk that is the whole segment, when it is (the common case after a full backup): its
 * plain bytes can be proven and written as they are, with no segment buffer and no copy. Unless
 * the caller writes each segment before taking the next (`inPlace`), only a buffer that owns its
 * memory qualifies, since the segment may be transferred between threads.
 */
function wholeChunk(s: RebuildSegment, plain: readonly ChunkBytes[], inPlace: boolean): Buffer | null {
  if (s.extents.length !== 1) return null;
  const e = s.extents[0]!;
  const p = plain[e.chunk];
  if (e.start !== 0 || e.chunkOffset !== 0 || e.length !== s.length || !Buffer.isBuffer(p)) return null;
  if (p.length !== s.length) return null;
  if (!inPlace && (p.byteOffset !== 0 || p.buffer.byteLength !== p.length)) return null;
  return p;
}

/**
 * A chunk's bytes for assembling a segment: its plain bytes, why it cannot be had (damage), or
 * null when it is not at hand and its blocks are to be left unchecked (a copy proves only the
 * chunks it sends).
 */
export type ChunkBytes = Buffer | string | null;

export interface SegmentProof {
  /** Per fingerprint block: some extent covers it. */
  covered: Uint8Array;
  /** Per fingerprint block: not proven (damaged, or using a chunk not at hand); not to be written. */
  bad: Uint8Array;
  damage: RebuiltSegment['damage'];
}

/**
 * Copies each extent's bytes into `data` (zeroed, or already the one whole chunk) and checks
 * every fingerprint block it can against the leaf: the one proof that restore and copy share.
 */
export function assembleAndProve(g: Geometry, s: RebuildSegment, plain: readonly ChunkBytes[], data: Buffer): SegmentProof {
  const fpCount = Math.ceil(s.length / g.fingerprintSize);
  const covered = new Uint8Array(fpCount);
  const bad = new Uint8Array(fpCount);
  const damage: RebuiltSegment['damage'] = [];
  for (const e of s.extents) {
    const [f0, f1] = fpSpan(g, e);
    covered.fill(1, f0, f1);
    const p = plain[e.chunk];
    if (p === null) {
      bad.fill(1, f0, f1);
    } else if (p === undefined || e.start + e.length > s.length || (typeof p === 'object' && e.chunkOffset + e.length > p.length)) {
      bad.fill(1, f0, f1);
      damage.push({ from: e.start, to: Math.min(s.length, e.start + e.length), why: 'the map points outside the segment or its chunk' });
    } else if (typeof p === 'string') {
      bad.fill(1, f0, f1);
      damage.push({ from: e.start, to: e.start + e.length, why: p });
    } else if (p !== data) {
      p.copy(data, e.start, e.chunkOffset, e.chunkOffset + e.length);
    }
  }
  for (let f = 0; f < fpCount; f++) {
    if (bad[f]) continue;
    const from = f * g.fingerprintSize;
    const len = Math.min(g.fingerprintSize, s.length - from);
    const got = covered[f] ? fingerprint(data.subarray(from, from + len)) : zeroFingerprint(len);
    if (!got.equals(s.fingerprints.subarray(f * FINGERPRINT_BYTES, (f + 1) * FINGERPRINT_BYTES))) {
      bad[f] = 1;
      damage.push({ from, to: from + len, why: 'restored bytes do not match the snapshot fingerprint' });
    }
  }
  return { covered, bad, damage };
}

/** The fingerprint blocks [first, end) an extent touches. */
function fpSpan(g: Geometry, e: { start: number; length: number }): readonly [number, number] {
  return [Math.floor(e.start / g.fingerprintSize), Math.ceil((e.start + e.length) / g.fingerprintSize)];
}

function rebuildOne(g: Geometry, s: RebuildSegment, plain: readonly ChunkBytes[], scratch: Buffer | undefined, inPlace: boolean): RebuiltSegment {
  const whole = wholeChunk(s, plain, inPlace);
  const data = whole ?? (scratch && scratch.length >= s.length ? scratch.subarray(0, s.length).fill(0) : Buffer.alloc(s.length));
  const { bad, damage } = assembleAndProve(g, s, plain, data);
  const runs: Array<[number, number]> = [];
  for (const e of s.extents) {
    const [f0, f1] = fpSpan(g, e);
    if (bad.subarray(f0, f1).some((x) => x === 1)) continue;
    const last = runs[runs.length - 1];
    // A short hole between two runs is written as the zeros it holds (data starts zeroed and
    // holes are never copied into), unless an unproven block lies in it: one write instead of
    // many small ones, at the cost of a few KiB less sparseness.
    const gapOk = last && e.start - last[1] <= RUN_MERGE_GAP && !bad.subarray(...fpSpan(g, { start: last[1], length: e.start - last[1] })).includes(1);
    if (last && gapOk) last[1] = e.start + e.length;
    else runs.push([e.start, e.start + e.length]);
  }
  return { index: s.index, data, runs, damage };
}
