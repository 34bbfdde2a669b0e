// The CPU work of change detection for one segment, as a pure function of its inputs, so it
// runs the same inline or in a worker thread: decide which blocks are dirty (by comparison,
// by fingerprints, or from a change list), then assemble the change.
//
// A leaf's fingerprints must always describe the data it maps: restore proves every byte against
// them. So where a hint marks only part of a fingerprint block, the whole block is stored from the
// source unless the rest of it is proven unchanged (with a previous source: its bytes equal the
// previous source's, whose fingerprint equals the parent's). A wrong hint can then cost bytes,
// never a snapshot that does not restore.
import type { Geometry } from './context.js';
import { fingerprint } from './fingerprint.js';
import { type SegmentChange, assembleChange, segmentFingerprints } from './segment-change.js';

export type SegmentTask =
  | (TaskBase & { kind: 'full' })
  | (TaskBase & { kind: 'fingerprints'; oldFps: Buffer })
  | (TaskBase & { kind: 'previous'; prev: Buffer; oldFps?: Buffer })
  | (TaskBase & { kind: 'extents'; dirty: Uint8Array; update: Uint8Array });

interface TaskBase {
  index: number;
  segStart: number;
  length: number;
  /** Volume offset from which every block is dirty whatever the mode (a changed size). */
  forced: number;
  data: Buffer;
  /**
   * Fingerprints of this segment as an interrupted run of the backup stored it (resume-leaves.ts);
   * when present, `data` holds the whole segment, and a segment that still matches them is not
   * stored again.
   */
  resume?: Buffer;
  /**
   * The parent's map of this segment references many chunks (REWRITE_AT_CHUNKS): if anything
   * in it changed, store the whole segment afresh. `data` then holds the whole segment.
   */
  rewrite?: boolean;
}

export function detectSegment(g: Geometry, t: SegmentTask): SegmentChange | null {
  const blocksPerSeg = g.segmentSize / g.blockSize;
  const fpsPerSeg = g.segmentSize / g.fingerprintSize;
  const perFp = g.fingerprintSize / g.blockSize;
  const { segStart, length, data, forced } = t;
  let dirty: Uint8Array = new Uint8Array(blocksPerSeg);
  let update: Uint8Array = new Uint8Array(fpsPerSeg);
  let known: Buffer | null = null;
  switch (t.kind) {
    case 'full':
      dirty.fill(1);
      update.fill(1);
      break;
    case 'extents':
      // The change list names blocks; the fingerprint blocks around them were read whole, and are
      // stored whole: nothing proves their other blocks equal the parent's.
      dirty = t.dirty;
      update = t.update;
      for (let f = 0; f < update.length; f++) if (update[f] === 1) dirty.fill(1, f * perFp, (f + 1) * perFp);
      break;
    case 'fingerprints': {
      known = segmentFingerprints(g, data, length);
      const old = t.oldFps;
      for (let f = 0; f * g.fingerprintSize < length; f++) {
        if (segStart + f * g.fingerprintSize >= forced) continue; // re-read anyway (forced is fingerprint-aligned)
        if (f * 16 + 16 > old.length || known.compare(old, f * 16, f * 16 + 16, f * 16, f * 16 + 16) !== 0) {
          dirty.fill(1, f * perFp, (f + 1) * perFp);
          update[f] = 1;
        }
      }
      break;
    }
    case 'previous': {
      const prev = t.prev;
      for (let b = 0; b * g.blockSize < length; b++) {
        const s = b * g.blockSize;
        const e = Math.min(s + g.blockSize, length);
        if (e > prev.length || data.compare(prev, s, e, s, e) !== 0) {
          dirty[b] = 1;
          update[Math.floor(b / perFp)] = 1;
        }
      }
      for (let f = 0; f < update.length; f++) {
        if (update[f] === 1 && !previousProven(g, t, f)) dirty.fill(1, f * perFp, (f + 1) * perFp);
      }
      break;
    }
  }
  if (t.kind !== 'full' && t.kind !== 'extents') {
    for (let p = Math.max(forced, segStart); p < segStart + length; p += g.blockSize) {
      dirty[(p - segStart) / g.blockSize] = 1;
      update[Math.floor((p - segStart) / g.fingerprintSize)] = 1;
    }
  }
  const rewritten = t.rewrite === true && dirty.includes(1);
  if (rewritten) {
    dirty.fill(1);
    update.fill(1);
  }
  const c = assembleChange(g, t.index, length, data, dirty, update, known);
  if (c && rewritten) c.rewritten = true;
  return c;
}

/**
 * Whether the clean blocks of fingerprint block `f` are proven to hold the parent's bytes: the
 * previous source's block has the parent's fingerprint (so it is the parent's data) and the clean
 * blocks equal it. Without the parent's fingerprints nothing is proven.
 */
function previousProven(g: Geometry, t: SegmentTask & { kind: 'previous' }, f: number): boolean {
  const old = t.oldFps;
  const start = f * g.fingerprintSize;
  const end = Math.min(start + g.fingerprintSize, t.length);
  if (!old || f * 16 + 16 > old.length || end > t.prev.length) return false;
  // A hole's fingerprint is that of zeros of its length, which fingerprint() gives too.
  return fingerprint(t.prev.subarray(start, end)).equals(old.subarray(f * 16, f * 16 + 16));
}
