// What a restore reads, planned one window of the map at a time: the pack ranges its segments
// need, merged into spans that are each read with one GET, and the segments cut into batches
// (the unit of CPU work) where no span is cut, so most spans serve exactly one batch, which then
// owns the fetched bytes and moves them to a worker thread without a copy. A span that serves
// several batches (the small pack of an incremental, used all over the volume) is held from its
// first batch to its last. Pure: no store, no threads.
// Memory: batches of <= maxBatchBytes sealed bytes, and <= keepBytes of spans held across
// batches; spans that would not fit are read again by each batch that uses them.
import type { BlobRef } from '../format/types.js';

export interface PlanOptions {
  /** A batch is closed once it holds this many sealed bytes, where no span continues past it... */
  batchBytes: number;
  /** ...and, even inside a span, once it holds this many. */
  maxBatchBytes: number;
  /** Ranges of one pack at most this far apart are read together (the gap read and dropped). */
  gap: number;
  /** Runs longer than this are cut into the fewest spans of about equal length (each at most one chunk longer). */
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
  /** Batches that take chunks from it and have not yet: the last one owns the bytes. */
  users: number;
}

export interface PlannedBatch<S extends PlanSegment> {
  segments: S[];
  /** The batch's chunks, each once, with the span each is read from. */
  chunks: Array<{ blob: BlobRef; span: Span }>;
  /** Per segment, per extent of its leaf: the index in `chunks` of the extent's chunk. */
  chunkOf: Int32Array[];
  /** The spans this batch takes from, each once. */
  spans: Span[];
}

interface Use {
  blob: BlobRef;
  /** First and last segment (index in the window) that need the chunk. */
  first: number;
  last: number;
}

/** A batch being planned: which span each chunk (by its Use) is read from. */
interface Draft<S extends PlanSegment> {
  segments: S[];
  spanOf: Map<Use, Span>;
  spans: Span[];
}

interface Group {
  uses: Use[];
  first: number;
  last: number;
  start: number;
  end: number;
}

export function planWindow<S extends PlanSegment>(segments: readonly S[], o: PlanOptions): PlannedBatch<S>[] {
  // Every chunk once, with the first and last segment that needs it, grouped by pack. The id is
  // turned into a key once per extent; from here on a chunk is its Use.
  const uses = new Map<string, Use>();
  const extentUse: Use[][] = [];
  const segUses: Use[][] = [];
  const segBytes: number[] = [];
  segments.forEach((s, i) => {
    const mine: Use[] = [];
    const ofExtent: Use[] = [];
    let bytes = 0;
    for (const e of s.leaf.extents) {
      const id = e.chunk.id.toString('latin1');
      let u = uses.get(id);
      if (!u) {
        u = { blob: e.chunk, first: i, last: -1 };
        uses.set(id, u);
      }
      ofExtent.push(u);
      // A chunk split around a changed block appears in several extents: count it once.
      if (u.last === i) continue;
      u.last = i;
      mine.push(u);
      bytes += e.chunk.length;
    }
    extentUse.push(ofExtent);
    segUses.push(mine);
    segBytes.push(bytes);
  });
  const byPack = new Map<string, Use[]>();
  for (const u of uses.values()) {
    const key = u.blob.pack.toString('hex');
    const list = byPack.get(key);
    if (list) list.push(u);
    else byPack.set(key, [u]);
  }
  const groups: Group[] = [];
  for (const list of byPack.values()) groups.push(...merge(list, o));

  // Cuts: not inside a span that fits in one batch, unless the batch is full.
  const prefix = [0];
  for (const b of segBytes) prefix.push(prefix[prefix.length - 1]! + b);
  const noCutAfter = new Uint8Array(segments.length);
  for (const g of groups) {
    if (g.first < g.last && prefix[g.last + 1]! - prefix[g.first]! <= o.maxBatchBytes) noCutAfter.fill(1, g.first, g.last);
  }
  // Runs of segments between allowed cuts are packed whole into batches: a batch is closed
  // before a run that would take it past maxBatchBytes, or once it holds batchBytes. Only a run
  // longer than maxBatchBytes by itself is cut inside.
  const batches: Draft<S>[] = [];
  const batchOf = new Int32Array(segments.length);
  let cur: S[] = [];
  let bytes = 0;
  const close = () => {
    if (!cur.length) return;
    batches.push({ segments: cur, spanOf: new Map(), spans: [] });
    cur = [];
    bytes = 0;
  };
  for (let from = 0; from < segments.length; ) {
    let to = from;
    while (to < segments.length - 1 && noCutAfter[to]) to++;
    const runBytes = prefix[to + 1]! - prefix[from]!;
    if (bytes >= o.batchBytes || bytes + runBytes > o.maxBatchBytes) close();
    for (let i = from; i <= to; i++) {
      if (bytes >= o.maxBatchBytes) close();
      cur.push(segments[i]!);
      batchOf[i] = batches.length;
      bytes += segBytes[i]!;
    }
    from = to + 1;
  }
  close();
  const usesOf: Array<Set<Use>> = batches.map(() => new Set());
  segUses.forEach((list, i) => {
    for (const u of list) usesOf[batchOf[i]!]!.add(u);
  });

  // Spans serving several batches are kept within `keepBytes` (shortest-lived first), the rest
  // are read by each of their batches.
  const live = new Float64Array(batches.length);
  const multi: Array<{ g: Group; first: number; last: number }> = [];
  for (const g of groups) {
    const first = batchOf[g.first]!;
    const last = batchOf[g.last]!;
    if (first === last) assign(batches, usesOf, g.uses, first, last);
    else multi.push({ g, first, last });
  }
  multi.sort((a, b) => a.last - a.first - (b.last - b.first));
  for (const { g, first, last } of multi) {
    const size = g.end - g.start;
    let peak = 0;
    for (let i = first; i <= last; i++) peak = Math.max(peak, live[i]!);
    if (peak + size <= o.keepBytes) {
      for (let i = first; i <= last; i++) live[i]! += size;
      assign(batches, usesOf, g.uses, first, last);
    } else {
      for (let i = first; i <= last; i++) {
        const mine = g.uses.filter((u) => usesOf[i]!.has(u));
        for (const part of merge(mine, o)) assign(batches, usesOf, part.uses, i, i);
      }
    }
  }
  // Each batch's chunks in the order its extents first name them.
  let at = 0;
  return batches.map((b) => {
    const index = new Map<Use, number>();
    const chunks: PlannedBatch<S>['chunks'] = [];
    const chunkOf = b.segments.map(() => {
      const ofExtent = extentUse[at++]!;
      const out = new Int32Array(ofExtent.length);
      ofExtent.forEach((u, j) => {
        let k = index.get(u);
        if (k === undefined) {
          k = chunks.push({ blob: u.blob, span: b.spanOf.get(u)! }) - 1;
          index.set(u, k);
        }
        out[j] = k;
      });
      return out;
    });
    return { segments: b.segments, chunks, chunkOf, spans: b.spans };
  });
}

/**
 * Sorted by offset, neighbours merged while the gap and the bytes read for nothing stay small;
 * then each run longer than spanMax is cut into the fewest spans of about equal length (at most
 * spanMax plus one chunk), so a full pack of 2 x spanMax is two GETs, not two and a remnant.
 */
function merge(list: readonly Use[], o: PlanOptions): Group[] {
  const sorted = [...list].sort((a, b) => a.blob.offset - b.blob.offset);
  const runs: Run[] = [];
  let run: Run | null = null;
  let needed = 0;
  for (const u of sorted) {
    const b = u.blob;
    // A gap costs bandwidth, another GET a round trip and server CPU: merge when the gap is
    // short and the run's gaps never outweigh its needed bytes.
    const gap = run ? b.offset - run.end : 0;
    const fits = run !== null && gap <= o.gap && (gap <= 64 << 10 || run.end - run.start - needed + gap <= needed + b.length);
    if (!run || !fits) {
      run = { uses: [], start: b.offset, end: b.offset };
      runs.push(run);
      needed = 0;
    }
    run.uses.push(u);
    run.end = Math.max(run.end, b.offset + b.length);
    needed += b.length;
  }
  return runs.flatMap((r) => evenly(r, o.spanMax));
}

/** Uses of one pack, sorted by offset, read together: [start, end). */
interface Run {
  uses: Use[];
  start: number;
  end: number;
}

/** A run as the fewest groups of about equal length, each at most spanMax plus one use. */
function evenly({ uses: run, start, end }: Run, spanMax: number): Group[] {
  const parts = Math.max(1, Math.ceil((end - start) / spanMax));
  const out: Group[] = [];
  let g: Group | null = null;
  for (const u of run) {
    const b = u.blob;
    if (!g) {
      g = { uses: [], first: u.first, last: u.last, start: b.offset, end: b.offset + b.length };
      out.push(g);
    }
    g.uses.push(u);
    g.first = Math.min(g.first, u.first);
    g.last = Math.max(g.last, u.last);
    g.end = Math.max(g.end, b.offset + b.length);
    // Closed once it reaches its share of the run; the last one takes the rest.
    if (out.length < parts && g.end - start >= ((end - start) * out.length) / parts) g = null;
  }
  return out;
}

/** Makes `uses` one span, read by those of batches [first, last] that take chunks from it. */
function assign<S extends PlanSegment>(batches: Draft<S>[], usesOf: ReadonlyArray<Set<Use>>, uses: readonly Use[], first: number, last: number): void {
  const span: Span = { pack: uses[0]!.blob.pack, start: Number.POSITIVE_INFINITY, end: 0, users: 0 };
  for (const u of uses) {
    span.start = Math.min(span.start, u.blob.offset);
    span.end = Math.max(span.end, u.blob.offset + u.blob.length);
  }
  for (let i = first; i <= last; i++) {
    const b = batches[i]!;
    const wanted = usesOf[i]!;
    let used = false;
    for (const u of uses) {
      if (!wanted.has(u)) continue;
      b.spanOf.set(u, span);
      used = true;
    }
    if (used) {
      b.spans.push(span);
      span.users++;
    }
  }
}
