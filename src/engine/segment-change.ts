// What change detection hands to the rest of the backup: per segment of the new volume, the
// byte ranges that may differ from the parent (dirty), their non-zero parts to store, and the
// fingerprints to replace. Zero blocks inside dirty ranges become holes.
import type { Geometry } from './context.js';
import { fingerprint, isZero, zeroFingerprint } from './fingerprint.js';

export interface Range {
  start: number;
  length: number;
}

/**
 * One chunk to store: the non-zero runs of a segment's change, in order and back to back (a
 * run's bytes lie in `data` after those of the runs before it). Holes between the runs are not
 * in it: they stay holes.
 */
export interface ChunkWrite {
  runs: Range[];
  data: Buffer;
}

export interface SegmentChange {
  index: number;
  /** Bytes of this segment inside the new volume. */
  length: number;
  /** Ranges (relative to the segment) whose old mapping is replaced. */
  dirty: Range[];
  /**
   * Non-zero parts of `dirty`, gathered into chunks of at most maxChunkSize: one chunk for all
   * of a segment's scattered runs (with the default geometry), not one per run, so a restore
   * opens one chunk per segment and backup, however scattered the writes.
   */
  writes: ChunkWrite[];
  fingerprints: Array<{ index: number; fp: Buffer }>;
  bytesChanged: number;
  /** Stored whole because its parent's map of it was fragmented (REWRITE_AT_CHUNKS). */
  rewritten?: boolean;
}

/**
 * Builds the change of one segment. `data` holds the segment's current bytes at least wherever
 * a block is dirty or a fingerprint is to be computed; `dirtyBlocks[i]` marks block i dirty;
 * `updateFps[j]` marks fingerprint j to be replaced, taken from `knownFps` when given.
 */
export function assembleChange(
  g: Geometry,
  index: number,
  length: number,
  data: Buffer,
  dirtyBlocks: Uint8Array,
  updateFps: Uint8Array,
  knownFps: Buffer | null,
): SegmentChange | null {
  const blocks = Math.ceil(length / g.blockSize);
  const dirty: Range[] = [];
  const runs: Range[] = [];
  let bytesChanged = 0;
  let runStart = -1; // start of the current non-zero dirty run, in bytes
  let dirtyStart = -1;
  const blockLen = (b: number) => Math.min(g.blockSize, length - b * g.blockSize);
  const zeroBlocks = new Uint8Array(blocks); // 1 = zero, 2 = non-zero, 0 = unknown

  const closeRun = (end: number) => {
    runs.push({ start: runStart, length: end - runStart });
    runStart = -1;
  };
  for (let b = 0; b <= blocks; b++) {
    const isDirty = b < blocks && dirtyBlocks[b] === 1;
    const pos = b * g.blockSize;
    if (isDirty) {
      if (dirtyStart < 0) dirtyStart = pos;
      const len = blockLen(b);
      bytesChanged += len;
      const zero = isZero(data.subarray(pos, pos + len));
      zeroBlocks[b] = zero ? 1 : 2;
      if (!zero && runStart < 0) runStart = pos;
      if (zero && runStart >= 0) closeRun(pos);
    } else {
      if (runStart >= 0) closeRun(Math.min(pos, length));
      if (dirtyStart >= 0) {
        dirty.push({ start: dirtyStart, length: Math.min(pos, length) - dirtyStart });
        dirtyStart = -1;
      }
    }
  }

  const fingerprints: Array<{ index: number; fp: Buffer }> = [];
  const perFp = g.fingerprintSize / g.blockSize;
  const fpCount = Math.ceil(length / g.fingerprintSize);
  for (let f = 0; f < fpCount; f++) {
    if (updateFps[f] !== 1) continue;
    const start = f * g.fingerprintSize;
    const len = Math.min(g.fingerprintSize, length - start);
    let fp = knownFps ? knownFps.subarray(f * 16, f * 16 + 16) : null;
    if (!fp) {
      let allZero = true;
      for (let b = f * perFp; b < Math.min(blocks, (f + 1) * perFp) && allZero; b++) {
        if (zeroBlocks[b] === 0) {
          const p = b * g.blockSize;
          zeroBlocks[b] = isZero(data.subarray(p, p + blockLen(b))) ? 1 : 2;
        }
        allZero = zeroBlocks[b] === 1;
      }
      fp = allZero ? zeroFingerprint(len) : fingerprint(data.subarray(start, start + len));
    }
    fingerprints.push({ index: f, fp });
  }
  if (dirty.length === 0 && fingerprints.length === 0) return null;
  return { index, length, dirty, writes: gather(runs, data, g.maxChunkSize), fingerprints, bytesChanged };
}

/**
 * Runs packed in order into chunks of at most `max` bytes (a longer run is cut). A chunk of one
 * run is a view of `data`; a chunk of several is a copy of their bytes, back to back.
 */
export function gather(runs: readonly Range[], data: Buffer, max: number): ChunkWrite[] {
  const out: ChunkWrite[] = [];
  let cur: Range[] = [];
  let bytes = 0;
  const close = () => {
    if (cur.length === 1) out.push({ runs: cur, data: data.subarray(cur[0]!.start, cur[0]!.start + cur[0]!.length) });
    else if (cur.length > 1) {
      const joined = Buffer.allocUnsafe(bytes);
      let at = 0;
      for (const r of cur) at += data.copy(joined, at, r.start, r.start + r.length);
      out.push({ runs: cur, data: joined });
    }
    cur = [];
    bytes = 0;
  };
  for (const r of runs) {
    for (let s = r.start; s < r.start + r.length; ) {
      if (bytes === max) close();
      const len = Math.min(r.start + r.length - s, max - bytes);
      cur.push({ start: s, length: len });
      bytes += len;
      s += len;
    }
  }
  close();
  return out;
}

/** Fingerprints of every fingerprint block of a segment held whole in `data`. */
export function segmentFingerprints(g: Geometry, data: Buffer, length: number): Buffer {
  const count = Math.ceil(length / g.fingerprintSize);
  const out = Buffer.allocUnsafe(count * 16);
  for (let f = 0; f < count; f++) {
    const start = f * g.fingerprintSize;
    const slice = data.subarray(start, Math.min(length, start + g.fingerprintSize));
    (isZero(slice) ? zeroFingerprint(slice.length) : fingerprint(slice)).copy(out, f * 16);
  }
  return out;
}
