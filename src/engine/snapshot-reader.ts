// Random access to one snapshot, for serving it as a block device: a read fetches only the
// segments it touches (their chunks with coalesced ranged GETs), proves every fingerprint block
// of them against the leaf before any byte is returned, and keeps proven segments in a bounded
// LRU cache, with read-ahead when reads run sequentially. Bytes that cannot be proven fail the
// read with an IntegrityError naming the range; they are never returned.
// Memory: <= cacheBytes of proven segments, plus the segments of reads and read-ahead in flight
// (<= (readAhead + concurrent reads) x segmentSize, sealed and opened).
import { IntegrityError, UsageError } from '../errors.js';
import { FINGERPRINT_BYTES } from '../defaults.js';
import { packKey } from '../format/layout.js';
import { type BlobRef, type MapLeaf, type Manifest, type NodeRef, PackKind } from '../format/types.js';
import { type RepoContext, segmentCount } from './context.js';
import { fingerprint } from './fingerprint.js';
import { asIntegrity } from './integrity.js';
import { NodeReader, coalesce } from './node-store.js';
import { type RebuildChunk, type RebuildJob, rebuildEach } from './segment-rebuild.js';
import { findNode } from './tree-walk.js';

/** A second-level store for proven segments (an on-disk cache); whatever it returns is proven again. */
export interface SegmentSpill {
  get(index: number): Promise<Buffer | null>;
  put(index: number, data: Buffer): Promise<void>;
}

export interface SnapshotReaderOptions {
  /** Bytes of proven segments kept in memory (default 64 MiB). */
  cacheBytes?: number;
  /** Segments fetched ahead once reads run sequentially (default 16: two 8 MiB batches). */
  readAhead?: number;
  spill?: SegmentSpill;
}

export interface ReaderStats {
  bytesRead: number;
  /** Segment lookups answered from memory (or the spill store), and those fetched from the store. */
  cacheHits: number;
  spillHits: number;
  cacheMisses: number;
  segmentsFetched: number;
  bytesFetched: number;
  readAheads: number;
  cachedBytes: number;
}

/** A proven segment: its bytes (null: all holes), or the ranges of it that could not be proven. */
interface Loaded {
  data: Buffer | null;
  damage: Array<{ from: number; to: number; why: string }>;
}

/** Where one client's stream of reads is, so read-ahead follows each stream on its own. */
export interface ReadCursor {
  lastSegment: number;
  aheadTo: number;
}

/** An allocation extent: data, or a hole that reads as zeros. */
export interface AllocationExtent {
  offset: number;
  length: number;
  hole: boolean;
}

export class SnapshotReader {
  private readonly nodes: NodeReader;
  private readonly cache = new Map<number, Promise<Loaded>>();
  private readonly sizes = new Map<number, number>();
  private readonly cacheBytes: number;
  private readonly readAhead: number;
  /** Parents (level-1 nodes) whose leaves have been prefetched. */
  private readonly prefetched = new Set<number>();
  private readonly ownCursor: ReadCursor = { lastSegment: -2, aheadTo: 0 };
  readonly stats: ReaderStats = {
    bytesRead: 0,
    cacheHits: 0,
    spillHits: 0,
    cacheMisses: 0,
    segmentsFetched: 0,
    bytesFetched: 0,
    readAheads: 0,
    cachedBytes: 0,
  };

  constructor(
    private readonly ctx: RepoContext,
    readonly manifest: Manifest,
    /** How errors name the snapshot, e.g. "snapshot 3fa2c1d0 of volume db01". */
    readonly name: string,
    private readonly opts: SnapshotReaderOptions = {},
  ) {
    this.nodes = new NodeReader(ctx);
    this.cacheBytes = opts.cacheBytes ?? 64 << 20;
    this.readAhead = opts.readAhead ?? 16;
  }

  get size(): number {
    return this.manifest.size;
  }

  /** Proven bytes [offset, offset+length), or an IntegrityError naming what could not be proven. */
  async read(offset: number, length: number, cursor: ReadCursor = this.ownCursor): Promise<Buffer> {
    this.checkRange(offset, length);
    const out = Buffer.alloc(length);
    if (length === 0) return out;
    const seg = this.ctx.geometry.segmentSize;
    const first = Math.floor(offset / seg);
    const last = Math.floor((offset + length - 1) / seg);
    this.planReadAhead(first, last, cursor);
    // The segments of a long read not yet at hand are fetched as one batch, not one by one.
    const missing = [];
    for (let i = first; i <= last; i++) if (!this.cache.has(i)) missing.push(i);
    const batch = missing.length > 1 ? this.load(missing) : null;
    if (batch) {
      this.stats.cacheMisses += missing.length;
      for (const p of batch.values()) p.catch(() => {}); // awaited below
    }
    for (let i = first; i <= last; i++) {
      const s = await (batch?.get(i) ?? this.segment(i));
      const segStart = i * seg;
      const from = Math.max(offset, segStart);
      const to = Math.min(offset + length, segStart + seg);
      for (const d of s.damage) {
        if (segStart + d.from < to && segStart + d.to > from) {
          const a = Math.max(from, segStart + d.from);
          const b = Math.min(to, segStart + d.to);
          throw new IntegrityError(`${this.name}: cannot prove bytes ${a}-${b - 1}: ${d.why}`);
        }
      }
      if (s.data) s.data.copy(out, from - offset, from - segStart, to - segStart);
    }
    this.stats.bytesRead += length;
    return out;
  }

  /**
   * Data and holes over [offset, offset+length), from the map alone (no data is fetched). Holes
   * are where the snapshot stored nothing (zeros at backup time); adjacent extents are merged.
   */
  async allocation(offset: number, length: number): Promise<AllocationExtent[]> {
    this.checkRange(offset, length);
    const seg = this.ctx.geometry.segmentSize;
    const out: AllocationExtent[] = [];
    const add = (from: number, to: number, hole: boolean) => {
      const a = Math.max(from, offset);
      const b = Math.min(to, offset + length);
      if (b <= a) return;
      const prev = out[out.length - 1];
      if (prev && prev.hole === hole && prev.offset + prev.length === a) prev.length += b - a;
      else out.push({ offset: a, length: b - a, hole });
    };
    if (length === 0) return out;
    const first = Math.floor(offset / seg);
    const last = Math.floor((offset + length - 1) / seg);
    for (let i = first; i <= last; i++) {
      const segStart = i * seg;
      const segEnd = Math.min(this.size, segStart + seg);
      const leaf = await this.leaf(i);
      let pos = segStart;
      const extents = leaf ? [...leaf.extents].sort((x, y) => x.start - y.start) : [];
      for (const e of extents) {
        add(pos, segStart + e.start, true);
        add(segStart + e.start, segStart + e.start + e.length, false);
        pos = Math.max(pos, segStart + e.start + e.length);
      }
      add(pos, segEnd, true);
    }
    return out;
  }

  private checkRange(offset: number, length: number): void {
    if (offset < 0 || length < 0 || offset + length > this.size) {
      throw new UsageError(`range ${offset}+${length} lies outside ${this.name} of ${this.size} bytes`);
    }
  }

  private async leaf(index: number): Promise<MapLeaf | null> {
    const m = this.manifest;
    try {
      const ref = m.rootLevel === 0 ? (index === 0 ? m.root : null) : await this.leafRef(index);
      return ref ? await this.nodes.leaf(ref) : null;
    } catch (err) {
      const e = asIntegrity(err, `the map of ${this.name}`);
      if (e instanceof IntegrityError) {
        const seg = this.ctx.geometry.segmentSize;
        throw new IntegrityError(
          `${this.name}: cannot prove bytes ${index * seg}-${Math.min(this.size, (index + 1) * seg) - 1}: ${e.message}`,
          { cause: e },
        );
      }
      throw e;
    }
  }

  /**
   * The leaf of a segment through its parent; the first visit to a parent prefetches all its
   * leaves (fanout of them, one coalesced GET per tree pack), so a store with long latency pays
   * it once per fanout x segmentSize of volume, not once per segment.
   */
  private async leafRef(index: number): Promise<NodeRef | null> {
    const m = this.manifest;
    const g = this.ctx.geometry;
    const parentIndex = Math.floor(index / g.fanout);
    const parentRef = await findNode(this.nodes, g, m.root, m.rootLevel, 1, parentIndex);
    if (!parentRef) return null;
    const parent = await this.nodes.interior(parentRef);
    if (!this.prefetched.has(parentIndex)) {
      this.prefetched.add(parentIndex);
      this.nodes.prefetch(parent.children.map((c) => c.ref));
    }
    return parent.children.find((c) => c.index === index % g.fanout)?.ref ?? null;
  }

  /** Reads that continue the previous one start fetching the segments after them. */
  private planReadAhead(first: number, last: number, c: ReadCursor): void {
    const sequential = first === c.lastSegment || first === c.lastSegment + 1;
    c.lastSegment = last;
    if (!sequential || this.readAhead <= 0) return;
    const total = segmentCount(this.size, this.ctx.geometry);
    const from = Math.max(last + 1, c.aheadTo);
    const to = Math.min(total, last + 1 + this.readAhead);
    // Fetch in halves of the window, so one batch is one large ranged GET per pack.
    if (to - from < Math.max(1, this.readAhead >> 1)) return;
    c.aheadTo = to;
    const wanted = [];
    for (let i = from; i < to; i++) if (!this.cache.has(i)) wanted.push(i);
    if (wanted.length === 0) return;
    this.stats.readAheads++;
    for (const p of this.load(wanted).values()) p.catch(() => {}); // a read that needs them meets the error again
  }

  private segment(index: number): Promise<Loaded> {
    const hit = this.cache.get(index);
    if (hit) {
      this.stats.cacheHits++;
      // Most recently used last.
      this.cache.delete(index);
      this.cache.set(index, hit);
      return hit;
    }
    this.stats.cacheMisses++;
    return this.load([index]).get(index)!;
  }

  /** Starts loading these segments as one batch, each entered in the cache at once. */
  private load(indexes: number[]): Map<number, Promise<Loaded>> {
    const batch = this.fetch(indexes);
    const out = new Map<number, Promise<Loaded>>();
    for (const i of indexes) {
      const p = batch.then((m) => m.get(i)!);
      p.then(
        (l) => {
          // Damaged segments are not kept: the next read tries the store again.
          if (l.damage.length > 0) this.forget(i, p);
          else this.account(i, p, l.data?.length ?? 0);
        },
        () => this.forget(i, p),
      );
      this.cache.set(i, p);
      out.set(i, p);
    }
    return out;
  }

  private account(index: number, p: Promise<Loaded>, bytes: number): void {
    if (this.cache.get(index) !== p) return;
    this.sizes.set(index, bytes);
    this.stats.cachedBytes += bytes;
    for (const [i, q] of this.cache) {
      if (this.stats.cachedBytes <= this.cacheBytes) break;
      if (!this.sizes.has(i)) continue; // still loading
      this.forget(i, q);
    }
  }

  private forget(index: number, p: Promise<Loaded>): void {
    if (this.cache.get(index) !== p) return;
    this.cache.delete(index);
    this.stats.cachedBytes -= this.sizes.get(index) ?? 0;
    this.sizes.delete(index);
  }

  /** Fetches, opens and proves a batch of segments (one coalesced ranged GET per pack range). */
  private async fetch(indexes: number[]): Promise<Map<number, Loaded>> {
    const g = this.ctx.geometry;
    const out = new Map<number, Loaded>();
    const leaves: Array<{ index: number; leaf: MapLeaf; length: number }> = [];
    for (const index of indexes) {
      const length = Math.min(g.segmentSize, this.size - index * g.segmentSize);
      const leaf = await this.leaf(index);
      if (!leaf) {
        out.set(index, { data: null, damage: [] });
        continue;
      }
      const spilled = await this.fromSpill(index, leaf, length);
      if (spilled) out.set(index, { data: spilled, damage: [] });
      else leaves.push({ index, leaf, length });
    }
    if (leaves.length === 0) return out;
    const chunkIndex = new Map<string, number>();
    const refs: BlobRef[] = [];
    const job: RebuildJob = { chunks: [], segments: [] };
    for (const { index, leaf, length } of leaves) {
      job.segments.push({
        index,
        length,
        fingerprints: leaf.fingerprints,
        extents: leaf.extents.map((e) => {
          const id = e.chunk.id.toString('hex');
          let i = chunkIndex.get(id);
          if (i === undefined) {
            i = refs.push(e.chunk) - 1;
            chunkIndex.set(id, i);
          }
          return { start: e.start, length: e.length, chunk: i, chunkOffset: e.chunkOffset };
        }),
      });
    }
    job.chunks = refs.map((b): RebuildChunk => ({ id: b.id, rawLength: b.rawLength, sealed: null, where: packKey(PackKind.Data, b.pack) }));
    // One request per pack range of this batch: bounded by the batch (<= readAhead segments).
    await Promise.all(
      coalesce(refs).map(async (group) => {
        const key = packKey(PackKind.Data, group.pack);
        let buf: Buffer | null = null;
        let why = '';
        try {
          buf = await this.ctx.store.get(key, { range: { offset: group.start, length: group.end - group.start } });
          this.stats.bytesFetched += buf.length;
        } catch (err) {
          const e = asIntegrity(err, `data pack ${key}`);
          if (!(e instanceof IntegrityError)) throw e;
          why = e.message;
        }
        for (const b of group.blobs) {
          const c = job.chunks[chunkIndex.get(b.id.toString('hex'))!]!;
          if (!buf) c.error = why;
          else c.sealed = buf.subarray(b.offset - group.start, b.offset - group.start + b.length);
        }
      }),
    );
    for (const seg of rebuildEach(g, this.ctx.sealer, job)) {
      this.stats.segmentsFetched++;
      // Own the bytes, so a cached segment holds no larger fetched buffer alive.
      const data = seg.data.byteOffset === 0 && seg.data.buffer.byteLength === seg.data.length ? seg.data : Buffer.from(seg.data);
      out.set(seg.index, { data, damage: seg.damage });
      if (seg.damage.length === 0 && this.opts.spill) await this.opts.spill.put(seg.index, data).catch(() => {});
    }
    return out;
  }

  /** A segment from the spill store, if it has one that proves against the leaf. */
  private async fromSpill(index: number, leaf: MapLeaf, length: number): Promise<Buffer | null> {
    const spill = this.opts.spill;
    if (!spill) return null;
    const data = await spill.get(index).catch(() => null);
    if (!data || data.length !== length || !proves(this.ctx.geometry.fingerprintSize, leaf, data)) return null;
    this.stats.spillHits++;
    return data;
  }
}

/** Every fingerprint block of `data` matches the leaf (holes fingerprint as zeros). */
function proves(fingerprintSize: number, leaf: MapLeaf, data: Buffer): boolean {
  for (let f = 0, from = 0; from < data.length; f++, from += fingerprintSize) {
    const got = fingerprint(data.subarray(from, Math.min(data.length, from + fingerprintSize)));
    if (!got.equals(leaf.fingerprints.subarray(f * FINGERPRINT_BYTES, (f + 1) * FINGERPRINT_BYTES))) return false;
  }
  return true;
}
