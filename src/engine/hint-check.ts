// Checks a change hint before a backup trusts it. A hint (a previous source, a change list) says
// which blocks may differ from the base snapshot; everything else is taken from the base. Storage
// change tracking is known to be wrong sometimes, so before that, fingerprint blocks the hint
// calls unchanged are read from the source and compared with the base's fingerprints: a sample
// of whole segments (at least 1% of such blocks and at least 256), or all of them. One mismatch
// proves the hint wrong, and the caller then compares every fingerprint instead.
import { HINT_SAMPLE } from '../defaults.js';
import type { Manifest, MapLeaf } from '../format/types.js';
import { type Geometry, segmentCount } from './context.js';
import { fingerprint, zeroLeafFingerprints } from './fingerprint.js';
import type { NodeReader } from './node-store.js';
import type { SourceFile } from './source.js';
import { leavesAt } from './tree-walk.js';

export const HINT_MODES = ['sample', 'full', 'off'] as const;
export type HintMode = (typeof HINT_MODES)[number];

export type CheckedHint =
  | { kind: 'previous-source'; previous: SourceFile }
  /** Block-aligned, sorted, merged [start, end) ranges (normaliseExtents). */
  | { kind: 'changed-extents'; ranges: ReadonlyArray<readonly [number, number]> };

export interface HintCheckInput {
  g: Geometry;
  reader: NodeReader;
  base: Manifest;
  source: SourceFile;
  hint: CheckedHint;
  mode: 'sample' | 'full';
  /** Uniform in [0, 1): which segments the sample takes. */
  random?: () => number;
  signal?: AbortSignal;
  onRead?: (bytes: number) => void;
}

export interface HintCheck {
  /** Fingerprint blocks the hint calls unchanged that were read and compared. */
  sampled: number;
  /** Of those, the ones whose data differs from the base: the hint is wrong when this is > 0. */
  mismatched: number;
  /** Byte offset of the first mismatch found, for the warning. */
  firstMismatch: number | null;
}

export async function checkHint(input: HintCheckInput): Promise<HintCheck> {
  const { g, base, source, hint } = input;
  // Only where both volumes have whole fingerprint blocks: past that, a backup re-reads anyway.
  const common = Math.floor(Math.min(base.size, source.size) / g.fingerprintSize) * g.fingerprintSize;
  const segs = segmentCount(common, g);
  const out: HintCheck = { sampled: 0, mismatched: 0, firstMismatch: null };
  if (segs === 0) return out;
  const fpsPerSeg = g.segmentSize / g.fingerprintSize;
  const totalBlocks = common / g.fingerprintSize;
  const listed = hint.kind === 'changed-extents' ? hint.ranges.reduce((n, [s, e]) => n + Math.ceil(Math.min(e, common) / g.fingerprintSize) - Math.floor(Math.min(s, common) / g.fingerprintSize), 0) : 0;
  const unchanged = Math.max(0, totalBlocks - listed);
  const target =
    input.mode === 'full' ? Number.POSITIVE_INFINITY : Math.max(HINT_SAMPLE.minBlocks, Math.ceil(unchanged * HINT_SAMPLE.share));

  // Segments in random order (Fisher-Yates, drawn lazily), in batches whose leaves are read
  // together; HINT_SAMPLE.parallel segments of a batch are checked at a time.
  const order = input.mode === 'full' ? null : new Uint32Array(segs).map((_, i) => i);
  const random = input.random ?? Math.random;
  let drawn = 0;
  const nextSegment = (): number | null => {
    if (drawn >= segs) return null;
    if (!order) return drawn++;
    const j = drawn + Math.floor(random() * (segs - drawn));
    const pick = order[j]!;
    order[j] = order[drawn]!;
    order[drawn++] = pick;
    return pick;
  };
  while (out.sampled < target) {
    // As many segments as the sample still needs if each gives all its blocks, and never fewer
    // than are checked at once (a segment that gives few, listed or changed since the previous
    // source, is then made up for by the others of its batch).
    const want = Math.min(HINT_SAMPLE.batch, Math.max(HINT_SAMPLE.parallel, Math.ceil((target - out.sampled) / fpsPerSeg)));
    const batch: number[] = [];
    for (let seg = nextSegment(); seg !== null; seg = batch.length < want ? nextSegment() : null) batch.push(seg);
    if (batch.length === 0) break;
    batch.sort((a, b) => a - b);
    input.signal?.throwIfAborted();
    const leaves = await leavesAt(input.reader, g, base.root, base.rootLevel, batch);
    let next = 0;
    const worker = async () => {
      while (next < batch.length) {
        const seg = batch[next++]!;
        input.signal?.throwIfAborted();
        await checkSegment(input, seg, Math.min(g.segmentSize, common - seg * g.segmentSize), fpsPerSeg, leaves.get(seg) ?? null, out);
      }
    };
    await Promise.all(Array.from({ length: HINT_SAMPLE.parallel }, worker));
  }
  return out;
}

async function checkSegment(input: HintCheckInput, seg: number, length: number, fpsPerSeg: number, leaf: MapLeaf | null, out: HintCheck): Promise<void> {
  const { g, base, source, hint } = input;
  const segStart = seg * g.segmentSize;
  const fps: Buffer = leaf ? leaf.fingerprints : zeroLeafFingerprints(Math.min(g.segmentSize, base.size - segStart), g);
  const listedHere = hint.kind === 'changed-extents' ? listedBlocks(hint.ranges, segStart, length, g) : null;
  if (listedHere?.every((x) => x === 1)) return;
  const data = await source.read(segStart, length);
  const prev = hint.kind === 'previous-source' ? await hint.previous.read(segStart, length) : null;
  input.onRead?.(length * (prev ? 2 : 1));
  for (let f = 0; f < Math.min(fpsPerSeg, length / g.fingerprintSize); f++) {
    const s = f * g.fingerprintSize;
    const e = s + g.fingerprintSize;
    if (listedHere?.[f] === 1) continue; // the list says it may differ: it is stored anyway
    if (prev && data.compare(prev, s, e, s, e) !== 0) continue; // differs from the previous source: stored anyway
    out.sampled++;
    if (!fingerprint(data.subarray(s, e)).equals(fps.subarray(f * 16, f * 16 + 16))) {
      out.mismatched++;
      if (out.firstMismatch === null || segStart + s < out.firstMismatch) out.firstMismatch = segStart + s;
    }
  }
}

/** For each fingerprint block of a segment: 1 where a listed range touches it. */
function listedBlocks(ranges: ReadonlyArray<readonly [number, number]>, segStart: number, length: number, g: Geometry): Uint8Array {
  const out = new Uint8Array(Math.ceil(length / g.fingerprintSize));
  const segEnd = segStart + length;
  // Binary search for the first range ending after the segment starts.
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid]![1] <= segStart) lo = mid + 1;
    else hi = mid;
  }
  for (let r = lo; r < ranges.length && ranges[r]![0] < segEnd; r++) {
    const from = Math.max(ranges[r]![0], segStart) - segStart;
    const to = Math.min(ranges[r]![1], segEnd) - segStart;
    if (to > from) out.fill(1, Math.floor(from / g.fingerprintSize), Math.ceil(to / g.fingerprintSize));
  }
  return out;
}

/**
 * Counts fingerprint blocks a change list left out although they changed, for backups that
 * compare every fingerprint anyway (a stream is read whole): the list's tally, not a check.
 */
export class HintTally {
  mismatched = 0;
  firstMismatch: number | null = null;
  constructor(
    private readonly g: Geometry,
    private readonly ranges: ReadonlyArray<readonly [number, number]>,
    /** Blocks from here on lie past the base's end: new, whatever the list says. */
    private readonly limit: number,
  ) {}

  onChange(segIndex: number, fingerprints: ReadonlyArray<{ index: number }>): void {
    const segStart = segIndex * this.g.segmentSize;
    const listed = listedBlocks(this.ranges, segStart, this.g.segmentSize, this.g);
    for (const { index } of fingerprints) {
      if (listed[index] === 1 || segStart + (index + 1) * this.g.fingerprintSize > this.limit) continue;
      this.mismatched++;
      const at = segStart + index * this.g.fingerprintSize;
      if (this.firstMismatch === null || at < this.firstMismatch) this.firstMismatch = at;
    }
  }
}
