// What a restore reads, planned one window of the map at a time: the window's segments cut into
// batches (the unit of CPU work), and the pack ranges they need merged into spans, each read
// with one GET and dropped once its last batch has taken its chunks. A span may serve many
// batches (a 16 MiB pack of a full backup holds ~20 segments; the small pack of an incremental
// is used all over the volume), so a restore reads each needed part of a pack about once
// instead of once per batch. Pure: no store, no threads.
// Memory: the spans held between their first and last batch stay under `keepBytes`; spans that
// would not fit are split into one per batch (read when that batch is built).
import type { BlobRef } from '../format/types.js';

export interface PlanOptions {
  /** A batch is closed when its segments' extents reach this many sealed bytes. */
  batchBytes: number;
  /** Ranges of one pack at most this far apart are read together (the gap read and dropped). */
  gap: number;
  /** No span is longer than this. */
  spanMax: number;
  /** Bytes of spans alive at once across batches (fetched, some batch still to take from them). */
  keepBytes: number;
}

/** A segment to restore: its leaf's extents say which chunks it needs. */
export interface PlanSegment {
  leaf: { extents: ReadonlyArray<{ chunk: BlobRef }> };
}

/** One ranged GET of a pack: [start, end), and the batches that take chunks from it. */
export interface Span {
  pack: Buffer;
  start: number;
  end: number;
  /** Batches (of this window) that take chunks from it; it can be dropped after the last. */
  users: number;
}

export interface PlannedBatch<S extends PlanSegment> {
  segments: S[];
  /** Where each of the batch's chunks (by id, hex) is read from. */
  spanOf: Map<string, Span>;
  /** The spans this batch takes from, each once. */
  spans: Span[];
}

interface Use {
  id: string;
  blob: BlobRef;
  first: number;
  last: number;
}

export function planWindow<S extends PlanSegment>(segments: readonly S[], o: PlanOptions): PlannedBatch<S>[] {
  // Batches, in segment order.
  const batches: PlannedBatch<S>[] = [];
  let cur: S[] = [];
  let bytes = 0;
  for (const s of segments) {
    cur.push(s);
    for (const e of s.leaf.extents) bytes += e.chunk.length;
    if (bytes >= o.batchBytes) {
      batches.push({ segments: cur, spanOf: new Map(), spans: [] });
      cur = [];
      bytes = 0;
    }
  }
  if (cur.length) batches.push({ segments: cur, spanOf: new Map(), spans: [] });

  // Every chunk once, with the first and last batch that needs it, grouped by pack.
  const uses = new Map<string, Use>();
  const idsOf: Array<Set<string>> = batches.map(() => new Set());
  batches.forEach((b, i) => {
    for (const s of b.segments) {
      for (const e of s.leaf.extents) {
        const id = e.chunk.id.toString('hex');
        idsOf[i]!.add(id);
        const u = uses.get(id);
        if (u) u.last = i;
        else uses.set(id, { id, blob: e.chunk, first: i, last: i });
      }
    }
  });
  const byPack = new Map<string, Use[]>();
  for (const u of uses.values()) {
    const key = u.blob.pack.toString('hex');
    const list = byPack.get(key);
    if (list) list.push(u);
    else byPack.set(key, [u]);
  }

  // Candidate spans per pack; those serving several batches are kept within `keepBytes`
  // (shortest-lived first, so the streaming reads of full packs always fit), the rest split.
  const live = new Float64Array(batches.length);
  const multi: Use[][] = [];
  for (const list of byPack.values()) {
    for (const group of merge(list, o)) {
      const [first, last] = lifetime(group);
      if (first === last) assign(batches, idsOf, group);
      else multi.push(group);
    }
  }
  multi.sort((a, b) => lifetime(a)[1] - lifetime(a)[0] - (lifetime(b)[1] - lifetime(b)[0]));
  for (const group of multi) {
    const [first, last] = lifetime(group);
    const size = extent(group);
    let peak = 0;
    for (let i = first; i <= last; i++) peak = Math.max(peak, live[i]!);
    if (peak + size <= o.keepBytes) {
      for (let i = first; i <= last; i++) live[i]! += size;
      assign(batches, idsOf, group);
    } else {
      // Too much held at once: each batch reads its own ranges of this span.
      for (let i = first; i <= last; i++) {
        const mine = group.filter((u) => idsOf[i]!.has(u.id));
        for (const g of merge(mine, o)) assign(batches, idsOf, g, i);
      }
    }
  }
  return batches;
}

/** Sorted by offset, neighbours merged while the gap and the bytes read for nothing stay small. */
function merge(list: Use[], o: PlanOptions): Use[][] {
  const sorted = [...list].sort((a, b) => a.blob.offset - b.blob.offset);
  const out: Use[][] = [];
  let group: Use[] = [];
  let start = 0;
  let end = 0;
  let needed = 0;
  for (const u of sorted) {
    const b = u.blob;
    const gap = b.offset - end;
    // Reading a gap costs bandwidth, a separate GET costs a round trip and server CPU: merge
    // when the gap is short and the span stays at least half needed bytes (or the gap is tiny).
    const ok = group.length > 0 && gap <= o.gap && b.offset + b.length - start <= o.spanMax && (gap <= 64 << 10 || end - start - needed + gap <= needed + b.length);
    if (!ok) {
      if (group.length) out.push(group);
      group = [];
      start = b.offset;
      end = b.offset;
      needed = 0;
    }
    group.push(u);
    end = Math.max(end, b.offset + b.length);
    needed += b.length;
  }
  if (group.length) out.push(group);
  return out;
}

function lifetime(group: readonly Use[]): [number, number] {
  let first = Number.POSITIVE_INFINITY;
  let last = -1;
  for (const u of group) {
    first = Math.min(first, u.first);
    last = Math.max(last, u.last);
  }
  return [first, last];
}

function extent(group: readonly Use[]): number {
  let start = Number.POSITIVE_INFINITY;
  let end = 0;
  for (const u of group) {
    start = Math.min(start, u.blob.offset);
    end = Math.max(end, u.blob.offset + u.blob.length);
  }
  return end - start;
}

/** Makes `group` one span, read by the batches that use its chunks (only batch `only`, when given). */
function assign<S extends PlanSegment>(batches: PlannedBatch<S>[], idsOf: ReadonlyArray<Set<string>>, group: readonly Use[], only?: number): void {
  const span: Span = { pack: group[0]!.blob.pack, start: Number.POSITIVE_INFINITY, end: 0, users: 0 };
  for (const u of group) {
    span.start = Math.min(span.start, u.blob.offset);
    span.end = Math.max(span.end, u.blob.offset + u.blob.length);
  }
  const [first, last] = only === undefined ? lifetime(group) : [only, only];
  for (let i = first; i <= last; i++) {
    const b = batches[i]!;
    let used = false;
    for (const u of group) {
      if (u.first > i || u.last < i || !idsOf[i]!.has(u.id)) continue;
      b.spanOf.set(u.id, span);
      used = true;
    }
    if (used) {
      b.spans.push(span);
      span.users++;
    }
  }
}
