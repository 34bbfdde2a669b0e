// Applying one segment's change to its old leaf: trim to the new length, punch the dirty
// ranges out of the old extents, add the new chunks, replace the changed fingerprints.
import { FINGERPRINT_BYTES } from '../defaults.js';
import type { Extent, MapLeaf } from '../format/types.js';
import type { Geometry } from './context.js';
import { zeroFingerprint } from './fingerprint.js';
import type { Range } from './segment-change.js';

export interface LeafChange {
  length: number;
  dirty: Range[];
  added: Extent[];
  fingerprints: Array<{ index: number; fp: Buffer }>;
}

export function applyChange(g: Geometry, old: MapLeaf | null, change: LeafChange): MapLeaf {
  let extents = trim(old?.extents ?? [], change.length);
  for (const d of change.dirty) extents = punch(extents, d.start, d.start + d.length);
  extents = [...extents, ...change.added].sort((a, b) => a.start - b.start);

  const count = Math.ceil(change.length / g.fingerprintSize);
  const fps = Buffer.allocUnsafe(count * FINGERPRINT_BYTES);
  for (let f = 0; f < count; f++) {
    const from = old?.fingerprints;
    if (from && (f + 1) * FINGERPRINT_BYTES <= from.length) from.copy(fps, f * FINGERPRINT_BYTES, f * FINGERPRINT_BYTES, (f + 1) * FINGERPRINT_BYTES);
    else zeroFingerprint(Math.min(g.fingerprintSize, change.length - f * g.fingerprintSize)).copy(fps, f * FINGERPRINT_BYTES);
  }
  for (const { index, fp } of change.fingerprints) {
    if (index < count) fp.copy(fps, index * FINGERPRINT_BYTES);
  }
  return { extents, fingerprints: fps };
}

function trim(extents: Extent[], length: number): Extent[] {
  const out: Extent[] = [];
  for (const e of extents) {
    if (e.start >= length) break;
    out.push(e.start + e.length > length ? { ...e, length: length - e.start } : e);
  }
  return out;
}

function punch(extents: Extent[], from: number, to: number): Extent[] {
  const out: Extent[] = [];
  for (const e of extents) {
    const end = e.start + e.length;
    if (end <= from || e.start >= to) {
      out.push(e);
      continue;
    }
    if (e.start < from) out.push({ ...e, length: from - e.start });
    if (end > to) out.push({ ...e, start: to, length: end - to, chunkOffset: e.chunkOffset + (to - e.start) });
  }
  return out;
}
