// The data of a copy: each changed segment of the source snapshot becomes the same leaf at the
// destination. A chunk the destination already holds (found in the base snapshot's leaf of the
// same segment, under the same id) is referenced where it is; every other chunk is fetched from
// the source with ranged GETs coalesced per pack, opened with the source's key, proven against
// the leaf's fingerprints, and sealed again with the destination's key under its id.
import { COPY, FINGERPRINT_BYTES } from '../defaults.js';
import { IntegrityError } from '../errors.js';
import { packKey } from '../format/layout.js';
import { BlobKind } from '../format/seal.js';
import { type BlobRef, type MapLeaf, type NodeRef, PackKind } from '../format/types.js';
import type { Geometry, RepoContext } from './context.js';
import type { DataSink } from './data-sink.js';
import { zeroLeafFingerprints } from './fingerprint.js';
import { guard } from './integrity.js';
import { coalesce, type NodeReader, type RangeGroup } from './node-store.js';
import { type ChunkBytes, assembleAndProve } from './segment-rebuild.js';
import type { PlacedChange } from './tree-builder.js';
import { walkLeaves } from './tree-walk.js';

/** One segment of the source snapshot to copy; `leaf` null: the segment is a hole there. */
export interface SourceSegment {
  index: number;
  length: number;
  leaf: MapLeaf | null;
}

export interface TranslateInput {
  src: RepoContext;
  dst: RepoContext;
  sink: DataSink;
  /** Reads the destination's base tree. */
  dstReader: NodeReader;
  /** The destination's copy of the base snapshot (same bytes as the source's base), or null. */
  base: { root: NodeRef | null; rootLevel: number } | null;
  segments: AsyncIterable<SourceSegment>;
  /** Names the snapshot in errors. */
  name: string;
  signal?: AbortSignal;
  onBatch?: (lastIndex: number) => void;
}

export interface TranslateFigures {
  /** Sealed source bytes fetched (chunks the destination lacked). */
  bytesFetched: number;
  chunksSent: number;
  chunksReused: number;
}

/** The destination leaves, as changes for buildTree, in segment order. */
export async function* translateSegments(input: TranslateInput, figures: TranslateFigures): AsyncIterable<PlacedChange> {
  let batch: SourceSegment[] = [];
  let bytes = 0;
  for await (const seg of input.segments) {
    batch.push(seg);
    for (const e of seg.leaf?.extents ?? []) bytes += e.chunk.length;
    if (bytes >= COPY.batchBytes) {
      yield* await translateBatch(input, batch, figures);
      batch = [];
      bytes = 0;
    }
  }
  if (batch.length) yield* await translateBatch(input, batch, figures);
}

async function translateBatch(input: TranslateInput, batch: SourceSegment[], figures: TranslateFigures): Promise<PlacedChange[]> {
  input.signal?.throwIfAborted();
  const { src, dst, sink } = input;
  const g = src.geometry;
  const held = await destinationChunks(input, batch);
  // Chunks to send, once each even when several extents use them.
  const wanted = new Map<string, BlobRef>();
  for (const s of batch) {
    for (const e of s.leaf?.extents ?? []) {
      const id = e.chunk.id.toString('hex');
      if (!held.has(id)) wanted.set(id, e.chunk);
    }
  }
  const plain = await fetchChunks(src, [...wanted.values()], input.signal);
  for (const b of wanted.values()) figures.bytesFetched += b.length;
  for (const s of batch) if (s.leaf) prove(g, s, plain, input.name);

  const placed = new Map<string, BlobRef>(held);
  for (const [id, ref] of wanted) {
    const p = plain.get(id)!;
    placed.set(id, await sink.addSealed(ref.id, dst.sealer.seal(BlobKind.Data, ref.id, p), p.length));
    figures.chunksSent++;
  }
  const out: PlacedChange[] = [];
  for (const s of batch) {
    const fps = s.leaf ? s.leaf.fingerprints : zeroLeafFingerprints(s.length, g);
    const fingerprints: PlacedChange['fingerprints'] = [];
    for (let f = 0; f * FINGERPRINT_BYTES < fps.length; f++)
      fingerprints.push({ index: f, fp: fps.subarray(f * FINGERPRINT_BYTES, (f + 1) * FINGERPRINT_BYTES) });
    const added = (s.leaf?.extents ?? []).map((e) => {
      const id = e.chunk.id.toString('hex');
      if (held.has(id)) figures.chunksReused++;
      return { start: e.start, length: e.length, chunk: placed.get(id)!, chunkOffset: e.chunkOffset };
    });
    out.push({ index: s.index, length: s.length, dirty: [{ start: 0, length: s.length }], added, fingerprints });
  }
  input.onBatch?.(batch[batch.length - 1]!.index);
  return out;
}

/** Chunks of these segments the destination holds already: those of its base leaves, by id. */
async function destinationChunks(input: TranslateInput, batch: SourceSegment[]): Promise<Map<string, BlobRef>> {
  const held = new Map<string, BlobRef>();
  const base = input.base;
  if (!base?.root) return held;
  const wanted = new Set(batch.filter((s) => s.leaf).map((s) => s.index));
  for (const [from, to] of runs([...wanted])) {
    for await (const v of walkLeaves(input.dstReader, input.dst.geometry, base.root, base.rootLevel, from, to)) {
      if (!wanted.has(v.index)) continue;
      for (const e of v.leaf.extents) held.set(e.chunk.id.toString('hex'), e.chunk);
    }
  }
  return held;
}

/** Sorted indexes as [from, to) runs of consecutive ones. */
export function runs(indexes: number[]): Array<[number, number]> {
  const sorted = [...indexes].sort((a, b) => a - b);
  const out: Array<[number, number]> = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && last[1] === i) last[1] = i + 1;
    else if (!last || last[1] < i) out.push([i, i + 1]);
  }
  return out;
}

/** Fetches and opens these source chunks: a bounded number of coalesced ranged GETs at a time. */
async function fetchChunks(src: RepoContext, refs: BlobRef[], signal?: AbortSignal): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const groups = coalesce(refs)[Symbol.iterator]();
  const worker = async (): Promise<void> => {
    for (let n = groups.next(); !n.done; n = groups.next()) {
      signal?.throwIfAborted();
      const group: RangeGroup = n.value;
      const key = packKey(PackKind.Data, group.pack);
      const buf = await guard(`data pack ${key} of the source`, () =>
        src.store.get(key, { range: { offset: group.start, length: group.end - group.start } }),
      );
      for (const b of group.blobs) {
        const sealed = buf.subarray(b.offset - group.start, b.offset - group.start + b.length);
        const what = `chunk ${b.id.toString('hex').slice(0, 16)} in ${key} of the source`;
        out.set(b.id.toString('hex'), await guard(what, () => src.sealer.open(BlobKind.Data, b.id, sealed, b.rawLength)));
      }
    }
  };
  await Promise.all(Array.from({ length: COPY.fetchesInFlight }, worker));
  return out;
}

/**
 * Checks every fingerprint block of a segment whose bytes are all at hand against the source
 * leaf (the restore's own proof), so that what is sent is what the source snapshot holds.
 * Blocks that use chunks the destination already has were proven when those were copied.
 */
function prove(g: Geometry, s: SourceSegment, plain: Map<string, Buffer>, name: string): void {
  const leaf = s.leaf!;
  const chunks: ChunkBytes[] = leaf.extents.map((e) => plain.get(e.chunk.id.toString('hex')) ?? null);
  const segment = {
    index: s.index,
    length: s.length,
    fingerprints: leaf.fingerprints,
    extents: leaf.extents.map((e, i) => ({ start: e.start, length: e.length, chunk: i, chunkOffset: e.chunkOffset })),
  };
  const d = assembleAndProve(g, segment, chunks, Buffer.alloc(s.length)).damage[0];
  if (d) {
    const at = s.index * g.segmentSize;
    throw new IntegrityError(`${name}: bytes ${at + d.from}-${at + d.to} of the source: ${d.why}`);
  }
}
