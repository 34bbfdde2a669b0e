// One backup: detect changes against the parent, store the changed blocks as chunks in data
// packs, build the new map copy-on-write, and return the manifest to commit. Nothing here is
// visible to readers until the caller writes that manifest, after every pack is durable.
import { randomBytes } from 'node:crypto';
import { FINGERPRINT_BYTES, INLINE_BELOW, REWRITE_AT_CHUNKS } from '../defaults.js';
import type { Manifest } from '../format/types.js';
import { type VolumeSource, detectTasks, isStream, readBatchSize } from './change-detect.js';
import { sealChanges } from './cpu-stage.js';
import { type CpuPool, cpuPool, discardPrestarted } from './workers/cpu-pool.js';
import { workersForced } from './workers/pool.js';
import type { RepoContext } from './context.js';
import { BufferRecycler } from './buffer-recycler.js';
import { type CheckpointOptions, Checkpointer } from './checkpointer.js';
import { type HintOptions, type HintPlan, type HintReport, planHint, settleTally } from './hint-plan.js';
import { NodeReader } from './node-store.js';
import type { ProgressFn } from './progress.js';
import { type ResumePoint, ResumeLeaves } from './resume-leaves.js';
import type { SealedChange } from './sealed-change.js';
import { SnapshotWriter } from './snapshot-writer.js';
import type { PlacedChange } from './tree-builder.js';

export interface BackupInput {
  volume: string;
  source: VolumeSource;
  parent: Manifest | null;
  /** Where to look for changes; none: every fingerprint is compared with the parent's. */
  hints?: HintOptions;
  /** Warnings for the user (a hint found wrong), as they happen. */
  onWarning?: (message: string) => void;
  labels: Record<string, string>;
  /** The storage layer's name of the snapshot read (`--source-id`), '' for none. */
  sourceId?: string;
  timeMs: number;
  signal?: AbortSignal;
  /** Sees each segment's change as it is placed (the hint tally of a stream backup uses it). */
  onChange?: (index: number, fingerprints: ReadonlyArray<{ index: number }>) => void;
  onProgress?: ProgressFn;
  /** What interrupted runs of this backup finished (from their checkpoints), best first. */
  resume?: ResumePoint[];
  /** Record the finished part every so often, so that this run can be resumed if it is killed. */
  checkpoint?: CheckpointOptions;
  /** Store a changed segment whole once its parent's map references this many chunks; 0 never. Default REWRITE_AT_CHUNKS. */
  rewriteAt?: number;
}

export interface BackupOutcome {
  manifest: Manifest;
  /** What checking the hint found; null without a hint (or without a parent to be relative to). */
  hints: HintReport | null;
  /** Warnings known only at the end (a stream's change list found wrong). */
  warnings: string[];
  bytesRead: number;
  bytesChanged: number;
  /** Packs only; the caller adds the manifest it writes. */
  bytesUploaded: number;
  objectsUploaded: number;
  /** Of bytesRead, the holes of a sparse file that its hole map showed, not read. */
  bytesHoles: number;
  /** Segments mapped as an interrupted run stored them, and the bytes not stored again for them. */
  segmentsReused: number;
  bytesReused: number;
  /** Changed segments stored whole because their parent's map of them was fragmented. */
  segmentsRewritten: number;
  checkpoints: number;
  /** Checkpoints of interrupted runs that could not be used, and why. */
  resumeProblems: string[];
}

export async function backup(ctx: RepoContext, input: BackupInput): Promise<BackupOutcome> {
  // One reader for the hint's check, the change detection and the new map: what one read, the
  // others find cached.
  const reader = new NodeReader(ctx);
  const plan = await planHint({
    g: ctx.geometry,
    reader,
    parent: input.parent,
    source: input.source,
    hints: input.hints,
    ...(input.signal ? { signal: input.signal } : {}),
    ...(input.onWarning ? { onWarning: input.onWarning } : {}),
  });
  // A short change list is sealed faster on this thread than worker threads start.
  const m = plan.mode;
  const small = m.kind === 'changed-extents' && m.extents.reduce((n, e) => n + e.length, 0) < INLINE_BELOW;
  const pool = small && !workersForced() ? null : cpuPool(ctx);
  if (!pool) discardPrestarted();
  try {
    return await run(ctx, input, pool, reader, plan);
  } finally {
    await pool?.close();
  }
}

async function run(ctx: RepoContext, input: BackupInput, pool: CpuPool | null, reader: NodeReader, plan: HintPlan): Promise<BackupOutcome> {
  const g = ctx.geometry;
  const mode = plan.mode;
  let bytesRead = 0;
  let bytesChanged = 0;
  let bytesReused = 0;
  let bytesHoles = 0;
  let segmentsReused = 0;
  let segmentsRewritten = 0;
  const resume = input.resume?.length ? new ResumeLeaves(ctx, reader, input.resume, input.signal) : null;
  const report = () =>
    input.onProgress?.({
      phase: resume ? 'backup (resuming)' : 'backup',
      bytesDone: bytesRead,
      bytesTotal: mode.kind === 'changed-extents' || isStream(input.source) ? bytesRead : input.source.size,
      bytesUploaded: out.bytesUploaded,
      objects: out.objectsUploaded,
    });
  const out = new SnapshotWriter(ctx, reader, report);
  const { sink } = out;
  const checkpointer = input.checkpoint ? new Checkpointer(input.checkpoint, sink, out.writer) : null;
  // Only workers give read buffers back: inline, a sealed chunk may still be a view of one.
  const buffers = pool ? new BufferRecycler(readBatchSize(g), pool.size * 2 + 2) : undefined;
  const tasks = detectTasks({
    ...(buffers ? { buffers } : {}),
    g,
    source: input.source,
    parent: input.parent,
    reader,
    mode,
    rewriteAt: input.rewriteAt ?? REWRITE_AT_CHUNKS,
    onRead: (n) => {
      bytesRead += n;
      report();
    },
    onHole: (n) => {
      bytesHoles += n;
    },
    ...(input.signal ? { signal: input.signal } : {}),
    ...(resume ? { resume } : {}),
  });

  async function* place(source: AsyncIterable<SealedChange>): AsyncIterable<PlacedChange> {
    for await (const c of source) {
      // Reading runs ahead of uploading by the pipeline's buffers: an abort (the daemon's
      // SIGTERM, a cancel) must also stop the uploads, not only the reads.
      input.signal?.throwIfAborted();
      bytesChanged += c.bytesChanged;
      input.onChange?.(c.index, c.fingerprints);
      plan.tally?.onChange(c.index, c.fingerprints);
      const stored = resume?.take(c.index) ?? null;
      if (c.reused) {
        // The segment holds what the interrupted run stored: map it as that run did.
        if (!stored) throw new Error(`segment ${c.index} was matched to an interrupted run's leaf that is gone`);
        bytesReused += c.bytesReused ?? 0;
        segmentsReused++;
        const whole = [{ start: 0, length: c.length }];
        yield { index: c.index, length: c.length, dirty: whole, added: stored.extents, fingerprints: fingerprintList(stored.fingerprints) };
        continue;
      }
      if (c.rewritten) segmentsRewritten++;
      const added = [];
      for (const w of c.writes) {
        const chunk = await sink.addSealed(w.id, w.sealed, w.length);
        let chunkOffset = 0;
        for (const r of w.runs) {
          added.push({ start: r.start, length: r.length, chunk, chunkOffset });
          chunkOffset += r.length;
        }
      }
      yield { index: c.index, length: c.length, dirty: c.dirty, added, fingerprints: c.fingerprints };
    }
  }

  const parent = input.parent;
  let changes: AsyncIterable<PlacedChange> = place(sealChanges(tasks, g, ctx.sealer, pool, buffers));
  if (isStream(input.source)) {
    // The map's shape depends on the volume's size, which a stream tells only at its end: the
    // data is stored as it streams by, and what each changed segment maps (about 1 KiB of
    // fingerprints and chunk references per changed MiB) is held until then.
    const held: PlacedChange[] = [];
    for await (const c of changes) held.push(c);
    changes = (async function* () {
      yield* held;
    })();
  }
  const manifest = await out.finish({
    meta: {
      id: randomBytes(16),
      volume: input.volume,
      parent: parent ? parent.id : null,
      timeMs: input.timeMs,
      size: input.source.size,
      labels: input.labels,
      sourceId: input.sourceId ?? '',
    },
    base: parent ? { root: parent.root, rootLevel: parent.rootLevel, size: parent.size } : null,
    changes,
    stats: { bytesRead, bytesChanged, mode: parent ? mode.kind : 'full' },
    ...(checkpointer ? { between: checkpointer.between } : {}),
  });
  report();
  const settled = parent && input.hints ? settleTally(plan, input.hints, parent, manifest.size, g) : { report: plan.report, warning: null };
  return {
    manifest,
    hints: settled.report,
    warnings: settled.warning ? [settled.warning] : [],
    bytesRead,
    bytesHoles,
    bytesChanged,
    bytesUploaded: manifest.stats.bytesUploaded,
    objectsUploaded: manifest.stats.objectsUploaded,
    segmentsReused,
    bytesReused,
    segmentsRewritten,
    checkpoints: checkpointer?.count ?? 0,
    resumeProblems: resume?.problems ?? [],
  };
}

function fingerprintList(fps: Buffer): Array<{ index: number; fp: Buffer }> {
  return Array.from({ length: fps.length / FINGERPRINT_BYTES }, (_, index) => ({
    index,
    fp: fps.subarray(index * FINGERPRINT_BYTES, (index + 1) * FINGERPRINT_BYTES),
  }));
}
