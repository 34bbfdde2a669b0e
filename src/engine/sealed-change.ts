// A segment's change with its new chunks already sealed: what the CPU stage (inline or in a
// worker thread) hands to the pack writer. Sealed chunks of a batch share one buffer, so a
// worker returns them with a single transfer.
import { randomBytes } from 'node:crypto';
import { BlobKind, type Sealer } from '../format/seal.js';
import type { Geometry } from './context.js';
import { type Range, segmentFingerprints } from './segment-change.js';
import { type SegmentTask, detectSegment } from './segment-task.js';

export interface SealedWrite {
  /** Where the chunk's bytes go in the segment, in the order they lie in the chunk. */
  runs: Range[];
  /** Plain bytes of the chunk: the runs' lengths summed. */
  length: number;
  id: Buffer;
  /** The sealed blob in parts, as the sealer made it (concatenated only where it is stored). */
  sealed: Buffer[];
}

export interface SealedChange {
  index: number;
  length: number;
  dirty: Range[];
  writes: SealedWrite[];
  fingerprints: Array<{ index: number; fp: Buffer }>;
  bytesChanged: number;
  /** Stored whole because its parent's map of it was fragmented (REWRITE_AT_CHUNKS). */
  rewritten?: boolean;
  /**
   * The segment still holds what an interrupted run stored for it (task.resume matched): nothing
   * was sealed, and the caller maps it as that run did. `bytesReused`: what was not stored again.
   */
  reused?: boolean;
  bytesReused?: number;
}

export function detectAndSeal(g: Geometry, sealer: Sealer, tasks: SegmentTask[]): SealedChange[] {
  const out: SealedChange[] = [];
  for (const t of tasks) {
    const c = detectSegment(g, t);
    if (!c) continue;
    if (t.resume && c.writes.length > 0 && segmentFingerprints(g, t.data, t.length).equals(t.resume)) {
      const bytesReused = c.writes.reduce((n, w) => n + w.data.length, 0);
      const { index, length, bytesChanged } = c;
      out.push({ index, length, dirty: [], writes: [], fingerprints: [], bytesChanged, reused: true, bytesReused });
      continue;
    }
    const writes: SealedWrite[] = c.writes.map((w) => {
      const id = randomBytes(16);
      return { runs: w.runs, length: w.data.length, id, sealed: sealer.seal(BlobKind.Data, id, w.data) };
    });
    out.push({ index: c.index, length: c.length, dirty: c.dirty, writes, fingerprints: c.fingerprints, bytesChanged: c.bytesChanged, ...(c.rewritten ? { rewritten: true } : {}) });
  }
  return out;
}
