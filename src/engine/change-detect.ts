// The three ways a backup finds what changed since the parent snapshot, plus the full read of
// a first backup. Each yields SegmentChange in segment order and reads the source with large
// sequential reads (or, with change lists, only around the listed ranges).
import { READ_AHEAD, READ_SIZE } from '../defaults.js';
import type { Manifest, MapLeaf } from '../format/types.js';
import type { BufferRecycler } from './buffer-recycler.js';
import { type Geometry, segmentCount } from './context.js';
import { zeroLeafFingerprints } from './fingerprint.js';
import type { NodeReader } from './node-store.js';
import type { SegmentTask } from './segment-task.js';
import type { SourceFile } from './source.js';
import { type VolumeSource, isStream } from './volume-source.js';

export { type VolumeSource, isStream };
import { leavesAt, walkLeaves } from './tree-walk.js';

export type DetectMode =
  | { kind: 'full' }
  | { kind: 'fingerprints' }
  | { kind: 'previous-source'; previous: SourceFile }
  | { kind: 'changed-extents'; extents: Array<{ offset: number; length: number }> };

export interface DetectInput {
  g: Geometry;
  source: VolumeSource;
  parent: Manifest | null;
  reader: NodeReader;
  mode: DetectMode;
  onRead?: (bytes: number) => void;
  /** Bytes found to be holes of the file (by its hole map) and so not read; counted in onRead too. */
  onHole?: (bytes: number) => void;
  signal?: AbortSignal;
  /** Where read buffers come from, when something gives them back (the worker pool). */
  buffers?: BufferRecycler;
  /**
   * A changed segment whose parent's leaf references this many chunks or more is stored whole
   * (REWRITE_AT_CHUNKS); 0 never.
   */
  rewriteAt?: number;
  /** Leaves of an interrupted run of this backup, offered to the segments that may reuse them. */
  resume?: { fingerprintsAt(index: number): Promise<Buffer | null> };
}

/** Start of the range that must be re-read whatever the mode: the tail when the size changed. */
function forcedFrom(input: DetectInput): number {
  const { parent, source, g } = input;
  if (!parent || input.mode.kind === 'full') return 0;
  // A stream's size is known only at its end: everything from the parent's last partial
  // fingerprint block on is re-read (nothing, when the parent ends on a block boundary).
  if (isStream(source)) return parent.size % g.fingerprintSize === 0 ? parent.size : Math.floor(parent.size / g.fingerprintSize) * g.fingerprintSize;
  if (parent.size === source.size) return source.size;
  return Math.floor(Math.min(parent.size, source.size) / g.fingerprintSize) * g.fingerprintSize;
}

/** The segments to examine, one array per read batch, in volume order. */
export function detectTasks(input: DetectInput): AsyncIterable<SegmentTask[]> {
  switch (input.mode.kind) {
    case 'changed-extents':
      return byExtents(input, input.mode.extents);
    case 'previous-source':
      return sequential(input, input.mode.previous);
    default:
      return sequential(input, null);
  }
}

interface Batch {
  start: number;
  /** The source's bytes; null when the whole batch is a hole of the file (zeros, not read). */
  data: Buffer | null;
  length: number;
  prev: Buffer | null;
}

/** Bytes of one sequential read: READ_SIZE rounded to whole segments. */
export function readBatchSize(g: Geometry): number {
  return Math.max(g.segmentSize, Math.floor(READ_SIZE / g.segmentSize) * g.segmentSize);
}

/** Reads the source (and the previous source) in READ_SIZE batches, one batch ahead. */
async function* batches(input: DetectInput, previous: SourceFile | null): AsyncIterable<Batch> {
  const { source, g } = input;
  const step = readBatchSize(g);
  if (isStream(source)) {
    // One read at a time: a stream has no positions to read ahead at.
    for (let start = 0; ; start += step) {
      const data = await source.readNext(step, input.buffers?.take(step));
      const got = data.length; // the buffer may move to a worker thread (detached) once yielded
      if (got === 0) return;
      input.onRead?.(got);
      input.signal?.throwIfAborted();
      yield { start, data, length: got, prev: null };
      if (got < step) return;
    }
  }
  const read = async (start: number): Promise<Batch> => {
    const len = Math.min(step, source.size - start);
    // A hole of a sparse file is zeros: known from the hole map, not read (not with a previous
    // source, whose bytes are compared block for block).
    if (!previous && source.isHole(start, start + len)) {
      input.onHole?.(len);
      input.onRead?.(len);
      return { start, data: null, length: len, prev: null };
    }
    const prevLen = previous ? Math.max(0, Math.min(len, previous.size - start)) : 0;
    const [data, prev] = await Promise.all([
      source.read(start, len, input.buffers?.take(len)),
      previous ? previous.read(start, prevLen, input.buffers?.take(prevLen)) : Promise.resolve(null),
    ]);
    input.onRead?.(len);
    return { start, data, length: len, prev };
  };
  // READ_AHEAD reads in flight: one 4 MiB read at a time leaves the page cache (or the disk)
  // idle while the previous batch is handed on, and the workers then wait for data.
  const pending: Promise<Batch>[] = [];
  let nextStart = 0;
  const fill = () => {
    while (pending.length < READ_AHEAD && nextStart < source.size) {
      const p = read(nextStart);
      p.catch(() => {}); // awaited in order below
      pending.push(p);
      nextStart += step;
    }
  };
  fill();
  while (pending.length > 0) {
    const cur = await pending.shift()!;
    input.signal?.throwIfAborted();
    fill();
    yield cur;
  }
}

async function* sequential(input: DetectInput, previous: SourceFile | null): AsyncIterable<SegmentTask[]> {
  // A previous source has the parent's size: the library API checked it, once.
  const { g, parent, mode } = input;
  const forced = forcedFrom(input);
  // The parent's fingerprints: compared in fingerprint mode; with a previous source they prove the
  // clean part of a partly changed fingerprint block (segment-task.ts).
  const useFps = (mode.kind === 'fingerprints' || mode.kind === 'previous-source') && parent !== null;
  const parentLeaves = useFps ? walkLeaves(input.reader, g, parent.root, parent.rootLevel)[Symbol.asyncIterator]() : null;
  let pending = parentLeaves ? await parentLeaves.next() : null;

  for await (const batch of batches(input, previous)) {
    const tasks: SegmentTask[] = [];
    for (let off = 0; off < batch.length; off += g.segmentSize) {
      const segStart = batch.start + off;
      const index = segStart / g.segmentSize;
      const length = Math.min(g.segmentSize, batch.length - off);
      let oldFps: Buffer | null = null;
      let rewrite = false;
      if (parent && useFps) {
        while (pending && !pending.done && pending.value.index < index) pending = await parentLeaves!.next();
        const oldLen = Math.max(0, Math.min(g.segmentSize, parent.size - segStart));
        const old = pending && !pending.done && pending.value.index === index ? pending.value.leaf : null;
        oldFps = old ? old.fingerprints : zeroLeafFingerprints(oldLen, g);
        rewrite = old !== null && fragmented(old, input.rewriteAt);
      }
      // A hole where the parent had a hole too (or a first backup's hole) changes nothing; short
      // of the re-cut tail of a resized volume. Else its zeros are compared like any data.
      if (batch.data === null) {
        if (!parent || mode.kind === 'full') continue;
        if (segStart + length <= forced && oldFps?.equals(zeroLeafFingerprints(length, g))) continue;
      }
      const resume = input.resume ? await input.resume.fingerprintsAt(index) : null;
      const data = batch.data ? batch.data.subarray(off, off + length) : Buffer.alloc(length);
      const base = { index, segStart, length, forced, data, ...(resume ? { resume } : {}), ...(rewrite ? { rewrite } : {}) };
      if (!parent || mode.kind === 'full') tasks.push({ ...base, kind: 'full' });
      else if (mode.kind === 'fingerprints' && oldFps) tasks.push({ ...base, kind: 'fingerprints', oldFps });
      else if (batch.prev) {
        const prev = batch.prev.subarray(off, Math.min(off + length, batch.prev.length));
        tasks.push({ ...base, kind: 'previous', prev, ...(oldFps ? { oldFps } : {}) });
      }
    }
    yield tasks;
  }
}

/**
 * Normalises a change list: sorted, merged, aligned out to blocks, cut at `size`. The list was
 * checked against the source's size by the library API (src/repo/jobs.ts), once.
 */
export function normaliseExtents(extents: Array<{ offset: number; length: number }>, size: number, blockSize: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const sorted = extents.filter((e) => e.length > 0).map((e) => [e.offset, e.offset + e.length] as [number, number]);
  sorted.sort((a, b) => a[0] - b[0]);
  for (const [s0, e0] of sorted) {
    const s = Math.floor(s0 / blockSize) * blockSize;
    const e = Math.min(size, Math.ceil(e0 / blockSize) * blockSize);
    if (e <= s) continue;
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

async function* byExtents(input: DetectInput, extents: Array<{ offset: number; length: number }>): AsyncIterable<SegmentTask[]> {
  const { g, source } = input;
  // A stream has to be read whole anyway: the caller compares its fingerprints instead.
  if (isStream(source)) throw new Error('a change list cannot steer the reading of a stream');
  const forced = forcedFrom(input);
  const ranges = normaliseExtents(extents, source.size, g.blockSize);
  if (forced < source.size) ranges.push([Math.floor(forced / g.blockSize) * g.blockSize, source.size]);
  const merged = normaliseExtents(ranges.map(([s, e]) => ({ offset: s, length: e - s })), source.size, g.blockSize);
  const segs = segmentCount(source.size, g);
  // The parent's leaves of the segments the list touches, to find the fragmented ones: read
  // level by level, so scattered segments cost a few reads, not one per leaf.
  const parent = input.parent;
  const old =
    parent && (input.rewriteAt ?? 0) > 0 ? await leavesAt(input.reader, g, parent.root, parent.rootLevel, touchedSegments(merged, g.segmentSize, segs)) : new Map<number, MapLeaf>();
  let r = 0;
  for (let index = 0; index < segs && r < merged.length; index++) {
    const segStart = index * g.segmentSize;
    const length = Math.min(g.segmentSize, source.size - segStart);
    const dirty = new Uint8Array(g.segmentSize / g.blockSize);
    const update = new Uint8Array(g.segmentSize / g.fingerprintSize);
    let any = false;
    while (r < merged.length && merged[r]![0] < segStart + length) {
      const [s, e] = merged[r]!;
      const from = Math.max(s, segStart) - segStart;
      const to = Math.min(e, segStart + length) - segStart;
      if (to > from) {
        any = true;
        dirty.fill(1, from / g.blockSize, Math.ceil(to / g.blockSize));
        update.fill(1, Math.floor(from / g.fingerprintSize), Math.ceil(to / g.fingerprintSize));
      }
      if (e > segStart + length) break;
      r++;
    }
    if (!any) {
      if (r < merged.length) index = Math.floor(merged[r]![0] / g.segmentSize) - 1; // skip clean segments
      continue;
    }
    // Read the fingerprint blocks that hold a dirty block, in runs; the whole segment when an
    // interrupted run stored it, to compare with what that run stored.
    const data = Buffer.alloc(length);
    const resume = input.resume ? await input.resume.fingerprintsAt(index) : null;
    const prior = old.get(index);
    const rewrite = prior !== undefined && fragmented(prior, input.rewriteAt);
    if (resume || rewrite) {
      await source.read(segStart, length, data);
      input.onRead?.(length);
    }
    for (let f = 0; f < update.length && !resume && !rewrite; ) {
      if (update[f] !== 1) {
        f++;
        continue;
      }
      let f2 = f;
      while (f2 < update.length && update[f2] === 1) f2++;
      const from = f * g.fingerprintSize;
      const to = Math.min(length, f2 * g.fingerprintSize);
      if (to > from) {
        await source.read(segStart + from, to - from, data.subarray(from, to));
        input.onRead?.(to - from);
      }
      f = f2;
    }
    input.signal?.throwIfAborted();
    yield [{ index, segStart, length, forced, data, kind: 'extents', dirty, update, ...(resume ? { resume } : {}), ...(rewrite ? { rewrite } : {}) }];
  }
}

/** The segments that ranges (sorted, disjoint, [start, end)) touch, in order, below `segs`. */
function touchedSegments(ranges: ReadonlyArray<[number, number]>, segmentSize: number, segs: number): number[] {
  const out: number[] = [];
  for (const [s, e] of ranges) {
    for (let i = Math.max(Math.floor(s / segmentSize), (out[out.length - 1] ?? -1) + 1); i * segmentSize < e && i < segs; i++) out.push(i);
  }
  return out;
}

/** Whether a leaf references `rewriteAt` chunks or more (never when rewriteAt is 0 or absent). */
export function fragmented(leaf: MapLeaf, rewriteAt = 0): boolean {
  if (rewriteAt <= 0 || leaf.extents.length < rewriteAt) return false;
  const ids = new Set<string>();
  for (const e of leaf.extents) ids.add(e.chunk.id.toString('latin1'));
  return ids.size >= rewriteAt;
}
