// How segment tasks and sealed changes cross the thread boundary. Structured cloning turns
// Buffers into plain Uint8Arrays: revive them on arrival. Large buffers move by transfer.
import type { SealedChange } from '../sealed-change.js';
import type { PlaceRange, Placement } from '../segment-place.js';
import type { RebuildJob } from '../segment-rebuild.js';
import type { SegmentTask } from '../segment-task.js';

/** A rebuild job's segments are written by the worker to this descriptor, placed by `range`. */
export interface WriteTo {
  fd: number;
  range: PlaceRange;
}
export type CpuJob = { kind: 'seal'; tasks: SegmentTask[] } | { kind: 'rebuild'; job: RebuildJob; write: WriteTo };
/** What a worker reports of each segment it wrote. */
export type Placed = Pick<Placement, 'damage' | 'bytesData' | 'bytesDone'>;
/** A seal answer: the sealed changes, and the task buffers sent back for reuse. */
export interface SealAnswer {
  changes: SealedChange[];
  spent: ArrayBuffer[];
}
export type CpuResult = SealAnswer | Placed[];

const buf = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/** A buffer that owns its whole ArrayBuffer (so transferring it moves nothing else). */
export function owned(b: Buffer): Buffer {
  if (b.byteOffset === 0 && b.buffer.byteLength === b.length) return b;
  const copy = Buffer.allocUnsafeSlow(b.length);
  b.copy(copy);
  return copy;
}

export function reviveRebuild(job: RebuildJob): RebuildJob {
  for (const c of job.chunks) {
    c.id = buf(c.id);
    if (c.sealed) c.sealed = buf(c.sealed);
  }
  for (const s of job.segments) s.fingerprints = buf(s.fingerprints);
  return job;
}

/** The fetched pack ranges behind a rebuild job, to transfer (each once). */
export function rebuildTransfers(job: RebuildJob): ArrayBuffer[] {
  const set = new Set<ArrayBuffer>();
  // Shared memory (a span several batches read) is shared with the worker, not moved.
  for (const c of job.chunks) if (c.sealed && c.sealed.buffer instanceof ArrayBuffer && c.sealed.buffer.byteLength > 0) set.add(c.sealed.buffer);
  return [...set];
}

export function reviveTasks(tasks: SegmentTask[]): SegmentTask[] {
  return tasks.map((t) => {
    const base = { ...t, data: buf(t.data), ...(t.resume ? { resume: buf(t.resume) } : {}) };
    if (t.kind === 'previous') return { ...base, kind: 'previous', prev: buf(t.prev), ...(t.oldFps ? { oldFps: buf(t.oldFps) } : {}) };
    if (t.kind === 'fingerprints') return { ...base, kind: 'fingerprints', oldFps: buf(t.oldFps) };
    return base as SegmentTask;
  });
}

/** The ArrayBuffers behind a batch of tasks, to transfer instead of copy (each once). */
export function taskTransfers(tasks: SegmentTask[]): ArrayBuffer[] {
  const set = new Set<ArrayBuffer>();
  for (const t of tasks) {
    set.add(t.data.buffer as ArrayBuffer);
    if (t.kind === 'previous') set.add(t.prev.buffer as ArrayBuffer);
    if (t.kind === 'previous' && t.oldFps) t.oldFps = owned(t.oldFps);
    if (t.kind === 'fingerprints') t.oldFps = owned(t.oldFps); // cloned: keep the clone small
    if (t.resume) t.resume = owned(t.resume);
  }
  return [...set].filter((b) => b.byteLength > 0);
}

/** Sealed parts at least this large that own their memory cross by transfer, not by copy. */
const TRANSFER_MIN = 64 << 10;

/**
 * Readies a batch's results to cross: a sealed part that owns its whole ArrayBuffer (the cipher's
 * output for a chunk, ~1 MiB) moves by transfer, uncopied; everything else (nonces, tags, ids,
 * fingerprints, views into the task buffers) is copied into one fresh buffer (never Node's
 * shared pool: cloning a small view would copy the whole pool slab behind it). `keep`: buffers
 * that go back on their own (the task buffers), never moved as a part.
 */
export function packSealed(changes: SealedChange[], keep: readonly ArrayBuffer[] = []): { value: SealedChange[]; transfer: ArrayBuffer[] } {
  const moved = new Set<ArrayBuffer>();
  const excluded = new Set<ArrayBuffer>(keep);
  const movable = (b: Buffer): boolean => {
    const ab = b.buffer as ArrayBuffer;
    if (b.length < TRANSFER_MIN || b.byteOffset !== 0 || ab.byteLength !== b.length || excluded.has(ab) || moved.has(ab)) return false;
    moved.add(ab);
    return true;
  };
  let total = 0;
  for (const c of changes) {
    for (const w of c.writes) {
      for (const part of w.sealed) if (!movable(part)) total += part.length;
      total += w.id.length;
    }
    for (const f of c.fingerprints) total += f.fp.length;
  }
  const all = Buffer.allocUnsafeSlow(total);
  let off = 0;
  const move = (b: Buffer): Buffer => {
    b.copy(all, off);
    off += b.length;
    return all.subarray(off - b.length, off);
  };
  for (const c of changes) {
    for (const w of c.writes) {
      w.sealed = w.sealed.map((part) => (moved.has(part.buffer as ArrayBuffer) ? part : move(part)));
      w.id = move(w.id);
    }
    for (const f of c.fingerprints) f.fp = move(f.fp);
  }
  return { value: changes, transfer: [...moved, ...(total > 0 ? [all.buffer as ArrayBuffer] : [])] };
}

export function reviveSealed(changes: SealedChange[]): SealedChange[] {
  for (const c of changes) {
    for (const w of c.writes) {
      w.sealed = w.sealed.map(buf);
      w.id = buf(w.id);
    }
    for (const f of c.fingerprints) f.fp = buf(f.fp);
  }
  return changes;
}
