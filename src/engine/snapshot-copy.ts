// One snapshot of a source repository rebuilt in a destination repository, on the destination's
// copy of a base snapshot when there is one: only the segments that differ between the two
// source snapshots are written, and only the chunks the destination lacks are sent
// (segment-copy.ts). The map and the manifest are made as a backup makes them
// (snapshot-writer.ts); the caller commits the manifest.
import { IntegrityError } from '../errors.js';
import type { Manifest } from '../format/types.js';
import { type RepoContext, segmentCount } from './context.js';
import { diffSnapshots } from './diff.js';
import { NodeReader } from './node-store.js';
import type { ProgressFn } from './progress.js';
import { type SourceSegment, type TranslateFigures, runs, translateSegments } from './segment-copy.js';
import { SnapshotWriter } from './snapshot-writer.js';
import { walkLeaves } from './tree-walk.js';

/** A snapshot both repositories hold (the same image): the source's and the destination's manifest. */
export interface CopyBase {
  src: Manifest;
  dst: Manifest;
}

export interface SnapshotCopyInput {
  /** The source snapshot. */
  snapshot: Manifest;
  base: CopyBase | null;
  /** The copy's id and labels (the caller decides what a copy keeps of the original). */
  id: Buffer;
  labels: Record<string, string>;
  /** Names the snapshot in errors and progress. */
  name: string;
  phase: string;
  signal?: AbortSignal;
  onProgress?: ProgressFn;
}

export interface SnapshotCopy {
  /** The destination's manifest, to commit. */
  manifest: Manifest;
  /** Sealed bytes read from the source's data packs. */
  bytesFetched: number;
}

export async function copySnapshot(src: RepoContext, dst: RepoContext, input: SnapshotCopyInput): Promise<SnapshotCopy> {
  const s = input.snapshot;
  const base = input.base;
  const out = new SnapshotWriter(dst);
  const figures: TranslateFigures = { bytesFetched: 0, chunksSent: 0, chunksReused: 0 };
  const progress = (lastIndex: number) =>
    input.onProgress?.({
      phase: input.phase,
      bytesDone: Math.min(s.size, (lastIndex + 1) * src.geometry.segmentSize),
      bytesTotal: s.size,
      bytesUploaded: out.bytesUploaded,
      objects: out.objectsUploaded,
    });
  const changes = translateSegments(
    {
      src,
      dst,
      sink: out.sink,
      dstReader: out.reader,
      base: base ? { root: base.dst.root, rootLevel: base.dst.rootLevel } : null,
      segments: changedSegments(src, s, base?.src ?? null),
      name: input.name,
      onBatch: progress,
      ...(input.signal ? { signal: input.signal } : {}),
    },
    figures,
  );
  const manifest = await out.finish({
    meta: {
      id: input.id,
      volume: s.volume,
      parent: base ? base.dst.id : null,
      timeMs: s.timeMs,
      size: s.size,
      labels: input.labels,
      sourceId: s.sourceId,
    },
    base: base ? { root: base.dst.root, rootLevel: base.dst.rootLevel, size: base.dst.size } : null,
    changes,
    stats: { bytesRead: 0, bytesChanged: figures.bytesFetched, mode: 'copy' },
  });
  if (src.geometry.fanout === dst.geometry.fanout && !manifest.imageDigest.equals(s.imageDigest)) {
    throw new IntegrityError(`${input.name}: the copy's image digest differs from the source's; nothing was committed`);
  }
  return { manifest, bytesFetched: figures.bytesFetched };
}

/**
 * The segments of `s` to write at the destination, in order: all of them without a base; with
 * one, those whose extents differ from the base's (compared in the source, where unchanged
 * subtrees are shared), plus the tail when the size changed (its last leaf is re-cut).
 */
async function* changedSegments(src: RepoContext, s: Manifest, base: Manifest | null): AsyncIterable<SourceSegment> {
  const g = src.geometry;
  const reader = new NodeReader(src);
  const segs = segmentCount(s.size, g);
  const lengthOf = (index: number) => Math.min(g.segmentSize, s.size - index * g.segmentSize);
  if (!base) {
    for await (const v of walkLeaves(reader, g, s.root, s.rootLevel)) yield { index: v.index, length: lengthOf(v.index), leaf: v.leaf };
    return;
  }
  const wanted = new Set<number>();
  for (const r of await diffSnapshots(src, base, s)) {
    const last = Math.min(segs - 1, Math.floor((r.offset + r.length - 1) / g.segmentSize));
    for (let i = Math.floor(r.offset / g.segmentSize); i <= last; i++) wanted.add(i);
  }
  if (base.size !== s.size) for (let i = Math.floor(Math.min(base.size, s.size) / g.segmentSize); i < segs; i++) wanted.add(i);
  for (const [from, to] of runs([...wanted])) {
    let next = from;
    for await (const v of walkLeaves(reader, g, s.root, s.rootLevel, from, to)) {
      for (; next < v.index; next++) yield { index: next, length: lengthOf(next), leaf: null };
      yield { index: v.index, length: lengthOf(v.index), leaf: v.leaf };
      next = v.index + 1;
    }
    for (; next < to; next++) yield { index: next, length: lengthOf(next), leaf: null };
  }
}
