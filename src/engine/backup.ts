// One backup: detect changes against the parent, store the changed blocks as chunks in data
// packs, build the new map copy-on-write, and return the manifest to commit. Nothing here is
// visible to readers until the caller writes that manifest, after every pack is durable.
import { randomBytes } from 'node:crypto';
import { INLINE_BELOW } from '../defaults.js';
import type { Manifest, NodeRef } from '../format/types.js';
import { type DetectMode, detectTasks, readBatchSize } from './change-detect.js';
import { sealChanges } from './cpu-stage.js';
import { type CpuPool, cpuPool } from './workers/cpu-pool.js';
import { workersForced } from './workers/pool.js';
import type { RepoContext } from './context.js';
import { BufferRecycler } from './buffer-recycler.js';
import { DataSink } from './data-sink.js';
import { NodeReader, NodeWriter } from './node-store.js';
import type { ProgressFn } from './progress.js';
import type { SealedChange } from './sealed-change.js';
import type { SourceFile } from './source.js';
import { type PlacedChange, buildTree } from './tree-builder.js';

export interface BackupInput {
  volume: string;
  source: SourceFile;
  parent: Manifest | null;
  mode: DetectMode;
  labels: Record<string, string>;
  timeMs: number;
  signal?: AbortSignal;
  onProgress?: ProgressFn;
}

export interface BackupOutcome {
  manifest: Manifest;
  bytesRead: number;
  bytesChanged: number;
  /** Packs only; the caller adds the manifest it writes. */
  bytesUploaded: number;
  objectsUploaded: number;
}

export async function backup(ctx: RepoContext, input: BackupInput): Promise<BackupOutcome> {
  // A short change list is sealed faster on this thread than worker threads start.
  const m = input.mode;
  const small = m.kind === 'changed-extents' && m.extents.reduce((n, e) => n + e.length, 0) < INLINE_BELOW;
  const pool = small && !workersForced() ? null : cpuPool(ctx);
  try {
    return await run(ctx, input, pool);
  } finally {
    await pool?.close();
  }
}

async function run(ctx: RepoContext, input: BackupInput, pool: CpuPool | null): Promise<BackupOutcome> {
  const g = ctx.geometry;
  const reader = new NodeReader(ctx);
  const writer = new NodeWriter(ctx);
  let bytesRead = 0;
  let bytesChanged = 0;
  const report = () =>
    input.onProgress?.({
      phase: 'backup',
      bytesDone: bytesRead,
      bytesTotal: input.mode.kind === 'changed-extents' ? bytesRead : input.source.size,
      bytesUploaded: sink.bytesUploaded + writer.bytesUploaded,
      objects: sink.objectsUploaded + writer.objectsUploaded,
    });
  const sink = new DataSink(ctx, report);
  // Only workers give read buffers back: inline, a sealed chunk may still be a view of one.
  const buffers = pool ? new BufferRecycler(readBatchSize(g), pool.size * 2 + 2) : undefined;
  const tasks = detectTasks({
    ...(buffers ? { buffers } : {}),
    g,
    source: input.source,
    parent: input.parent,
    reader,
    mode: input.mode,
    onRead: (n) => {
      bytesRead += n;
      report();
    },
    ...(input.signal ? { signal: input.signal } : {}),
  });

  async function* place(source: AsyncIterable<SealedChange>): AsyncIterable<PlacedChange> {
    for await (const c of source) {
      bytesChanged += c.bytesChanged;
      const added = [];
      for (const w of c.writes) {
        const chunk = await sink.addSealed(w.id, w.sealed, w.length);
        added.push({ start: w.start, length: w.length, chunk, chunkOffset: 0 });
      }
      yield { index: c.index, length: c.length, dirty: c.dirty, added, fingerprints: c.fingerprints };
    }
  }

  const parent = input.parent;
  const tree = await buildTree({
    g,
    reader,
    writer,
    parent: parent ? { root: parent.root, rootLevel: parent.rootLevel, size: parent.size } : null,
    size: input.source.size,
    changes: place(sealChanges(tasks, g, ctx.sealer, pool, buffers)),
  });
  // Commit order: data packs, then tree packs; the manifest comes last, from the caller.
  await sink.finish();
  await writer.flush();
  report();

  const root: NodeRef | null = tree.root;
  const manifest: Manifest = {
    id: randomBytes(16),
    volume: input.volume,
    parent: parent ? parent.id : null,
    timeMs: input.timeMs,
    size: input.source.size,
    labels: input.labels,
    root,
    rootLevel: tree.rootLevel,
    imageDigest: tree.digest,
    packs: [...sink.packs, ...writer.packs],
    stats: {
      bytesRead,
      bytesChanged,
      bytesUploaded: sink.bytesUploaded + writer.bytesUploaded,
      objectsUploaded: sink.objectsUploaded + writer.objectsUploaded,
      mode: parent ? input.mode.kind : 'full',
    },
  };
  return {
    manifest,
    bytesRead,
    bytesChanged,
    bytesUploaded: manifest.stats.bytesUploaded,
    objectsUploaded: manifest.stats.objectsUploaded,
  };
}
