// Where a rebuilt segment's bytes go in the restore target: its proven runs clipped to the
// requested range, zeros for its holes on block devices (files keep them sparse), and the
// damage inside the range. Pure, so the same plan is carried out by the main thread (async
// writes) or by a worker thread (writes to the target's descriptor).
import { zeroBuffer } from './fingerprint.js';
import type { RebuiltSegment } from './segment-rebuild.js';

export interface PlaceRange {
  /** Volume bytes [offset, end) are restored, to target position 0.. */
  offset: number;
  end: number;
  segmentSize: number;
  blockDevice: boolean;
}

export interface Damage {
  from: number;
  to: number;
  why: string;
}

export interface Placement {
  /** [target position, bytes] to write, in order. */
  writes: Array<[number, Buffer]>;
  damage: Damage[];
  /** Bytes of proven data written (holes excluded). */
  bytesData: number;
  /** Bytes of the requested range this segment covers. */
  bytesDone: number;
}

export function placeSegment(seg: RebuiltSegment, r: PlaceRange): Placement {
  const segStart = seg.index * r.segmentSize;
  const out: Placement = { writes: [], damage: [], bytesData: 0, bytesDone: 0 };
  const clip = (pos: number, data: Buffer) => {
    const from = Math.max(pos, r.offset);
    const to = Math.min(pos + data.length, r.end);
    if (to > from) out.writes.push([from - r.offset, data.subarray(from - pos, to - pos)]);
    return Math.max(0, to - from);
  };
  const zeros = (from: number, to: number) => {
    for (let p = from; p < to; p += 1 << 20) clip(p, zeroBuffer(Math.min(1 << 20, to - p)));
  };
  for (const d of seg.damage) {
    // Only damage inside the requested range fails this restore.
    const from = Math.max(segStart + d.from, r.offset);
    const to = Math.min(segStart + d.to, r.end);
    if (to > from) out.damage.push({ from, to, why: d.why });
  }
  let pos = segStart;
  for (const [s, e] of seg.runs) {
    // Block devices keep old contents where the snapshot has holes (or unproven bytes): zero them.
    if (r.blockDevice) zeros(pos, segStart + s);
    out.bytesData += clip(segStart + s, seg.data.subarray(s, e));
    pos = segStart + e;
  }
  if (r.blockDevice) zeros(pos, segStart + seg.data.length);
  out.bytesDone = Math.max(0, Math.min(segStart + seg.data.length, r.end) - Math.max(segStart, r.offset));
  return out;
}
